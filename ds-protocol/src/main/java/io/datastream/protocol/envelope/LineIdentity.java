package io.datastream.protocol.envelope;

/**
 * The stable identity of a line: for which task, which agent read it, from which file (content
 * fingerprint), at which byte offset (docs/protocol.md section 6). A re-sent line has the same
 * identity, so it can be dropped downstream; two tasks reading one file, or two agents reading one
 * directory, give the same bytes different identities.
 */
public record LineIdentity(String taskId, String agentId, long fingerprint, long offset) {
    @Override
    public String toString() {
        return taskId + "/" + agentId + "/" + Long.toHexString(fingerprint) + "@" + offset;
    }
}
