package io.datastream.protocol.frame;

/** Liveness, both directions, sent when a side has sent nothing for a heartbeat interval. */
public record Heartbeat(long sentAtMillis) implements Frame {
    @Override
    public FrameType type() {
        return FrameType.HEARTBEAT;
    }
}
