package io.datastream.protocol.frame;

import io.datastream.protocol.ErrorCode;
import java.util.Objects;

/** The outcome of one batch, router to agent. */
public record Ack(long batchId, AckStatus status, ErrorCode error, String message) implements Frame {
    public Ack {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(message, "message");
    }

    public static Ack ok(long batchId) {
        return new Ack(batchId, AckStatus.OK, ErrorCode.NONE, "");
    }

    @Override
    public FrameType type() {
        return FrameType.ACK;
    }
}
