package io.datastream.protocol.frame;

import java.util.List;
import java.util.Objects;

/**
 * Router to agent: stop sending new batches on this connection and reconnect, preferably to
 * one of {@code suggestedRouters} ({@code host:port}). In-flight batches are still acknowledged.
 */
public record GoAway(GoAwayReason reason, List<String> suggestedRouters, String message) implements Frame {
    public GoAway {
        Objects.requireNonNull(reason, "reason");
        suggestedRouters = List.copyOf(suggestedRouters);
        Objects.requireNonNull(message, "message");
    }

    @Override
    public FrameType type() {
        return FrameType.GOAWAY;
    }
}
