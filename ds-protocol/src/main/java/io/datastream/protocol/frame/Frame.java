package io.datastream.protocol.frame;

/** One protocol frame. */
public sealed interface Frame permits Hello, Welcome, Credit, BatchFrame, Ack, Heartbeat, GoAway, ErrorFrame {
    FrameType type();
}
