package io.datastream.protocol.frame;

import io.datastream.protocol.ErrorCode;
import java.util.Objects;

/** A fatal error for the connection: the sender closes it after this frame. */
public record ErrorFrame(ErrorCode code, String message) implements Frame {
    public ErrorFrame {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public FrameType type() {
        return FrameType.ERROR;
    }
}
