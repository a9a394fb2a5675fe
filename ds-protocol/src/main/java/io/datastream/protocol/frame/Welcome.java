package io.datastream.protocol.frame;

import java.util.Map;
import java.util.Objects;

/**
 * The router's answer to HELLO.
 *
 * @param version             the protocol version both sides use from now on
 * @param codecMask           codecs the router accepts (subset of the agent's)
 * @param heartbeatIntervalMs how often each side sends HEARTBEAT when otherwise idle
 * @param maxBatchBytes       the largest BATCH frame body the router accepts
 * @param creditLimit         initial credit: the agent may send BATCH bodies up to this many bytes in total
 * @param routerId            the router's id
 * @param properties          extra key/values; unknown keys are ignored
 */
public record Welcome(int version, int codecMask, int heartbeatIntervalMs, int maxBatchBytes, long creditLimit,
                      String routerId, Map<String, String> properties) implements Frame {
    public Welcome {
        Objects.requireNonNull(routerId, "routerId");
        properties = FrameCodec.orderedCopy(properties);
    }

    @Override
    public FrameType type() {
        return FrameType.WELCOME;
    }
}
