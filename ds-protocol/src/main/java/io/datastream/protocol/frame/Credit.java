package io.datastream.protocol.frame;

/**
 * A credit grant, router to agent: the agent may have sent BATCH frame bodies totalling at most
 * {@code limit} bytes on this connection. Monotonic: a smaller limit than one already seen is
 * ignored, so lost, repeated or reordered grants are harmless.
 */
public record Credit(long limit) implements Frame {
    @Override
    public FrameType type() {
        return FrameType.CREDIT;
    }
}
