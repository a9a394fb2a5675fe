package io.datastream.protocol.envelope;

/**
 * The stable identity of a line: which agent read it, from which file (content fingerprint),
 * at which byte offset. A re-sent line has the same identity, so it can be dropped downstream.
 */
public record LineIdentity(String agentId, long fingerprint, long offset) {
    @Override
    public String toString() {
        return agentId + "/" + Long.toHexString(fingerprint) + "@" + offset;
    }
}
