package io.datastream.router.route;

import io.datastream.protocol.ErrorCode;
import io.datastream.router.config.PartitionerKind;
import io.datastream.router.config.RouteMode;

/**
 * Where a batch goes, or why it goes nowhere ({@link #error()} is NO_ROUTE or TOPIC_NOT_ALLOWED).
 * An expected outcome of routing, so a value rather than an exception.
 */
public record Resolution(String topic, RouteMode mode, PartitionerKind partitioner, ErrorCode error, String message) {
    static Resolution to(String topic, Route route) {
        return new Resolution(topic, route.mode(), route.partitioner(), ErrorCode.NONE, "");
    }

    static Resolution refused(ErrorCode code, String message) {
        return new Resolution(null, null, null, code, message);
    }

    public boolean routed() {
        return error == ErrorCode.NONE;
    }
}
