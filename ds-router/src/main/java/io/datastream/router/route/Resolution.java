package io.datastream.router.route;

import io.datastream.protocol.ErrorCode;
import io.datastream.router.config.PartitionerKind;
import io.datastream.router.config.RouteMode;

/**
 * Where a batch goes (a topic, or a channel when {@link #channel()} is not null), or why it goes
 * nowhere ({@link #error()} is NO_ROUTE or TOPIC_NOT_ALLOWED). An expected outcome of routing, so
 * a value rather than an exception.
 */
public record Resolution(String topic, RouteMode mode, PartitionerKind partitioner, String channel, ErrorCode error, String message) {
    static Resolution to(String topic, Route route) {
        return new Resolution(topic, route.mode(), route.partitioner(), null, ErrorCode.NONE, "");
    }

    static Resolution intoChannel(Route route) {
        return new Resolution(null, route.mode(), null, route.channel(), ErrorCode.NONE, "");
    }

    static Resolution refused(ErrorCode code, String message) {
        return new Resolution(null, null, null, null, code, message);
    }

    /** Whether the batch goes into a channel rather than straight to Kafka. */
    public boolean toChannel() {
        return channel != null;
    }

    public boolean routed() {
        return error == ErrorCode.NONE;
    }
}
