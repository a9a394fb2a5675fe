package io.datastream.protocol.envelope;

/**
 * One line of an envelope, copied out for convenience.
 *
 * @param offset     byte offset of the line in its source file
 * @param nextOffset byte offset just after the line and its newline (or cut-off rest)
 * @param content    the line's bytes, without the newline, exactly as read
 */
public record Line(String taskId, String agentId, long fingerprint, long offset, long nextOffset, byte[] content) {
    public LineIdentity identity() {
        return new LineIdentity(taskId, agentId, fingerprint, offset);
    }
}
