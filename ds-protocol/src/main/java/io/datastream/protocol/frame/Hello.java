package io.datastream.protocol.frame;

import java.util.Map;
import java.util.Objects;

/**
 * First frame of a connection, agent to router.
 *
 * @param minVersion      oldest protocol version the agent speaks
 * @param maxVersion      newest protocol version the agent speaks
 * @param codecMask       codecs the agent may use (bit {@code 1 << codec id})
 * @param agentId         stable id of the agent (survives restarts)
 * @param host            host name of the agent
 * @param authToken       shared secret, empty when none is configured
 * @param softwareVersion the agent's build version, for the inventory
 * @param properties      extra key/values (labels); unknown keys are ignored
 */
public record Hello(int minVersion, int maxVersion, int codecMask, String agentId, String host, String authToken,
                    String softwareVersion, Map<String, String> properties) implements Frame {
    public static final int MAGIC = 0x44535031; // "DSP1"

    public Hello {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(authToken, "authToken");
        Objects.requireNonNull(softwareVersion, "softwareVersion");
        properties = FrameCodec.orderedCopy(properties);
    }

    @Override
    public FrameType type() {
        return FrameType.HELLO;
    }

    @Override
    public String toString() {
        // never print the token
        return "Hello[versions=" + minVersion + ".." + maxVersion + ", codecs=0x" + Integer.toHexString(codecMask)
                + ", agent=" + agentId + ", host=" + host + ", software=" + softwareVersion + ", properties=" + properties + "]";
    }
}
