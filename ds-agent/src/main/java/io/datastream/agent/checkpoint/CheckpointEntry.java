package io.datastream.agent.checkpoint;

/**
 * The acknowledged position of one stream (a file as identified by its content) of one task.
 *
 * @param taskId            the task reading the file
 * @param streamId          the fingerprint sent on the wire (equal to {@code fingerprint} unless it collided)
 * @param fingerprint       xxHash64 of the file's first {@code fingerprintLength} bytes
 * @param fingerprintLength how many leading bytes the fingerprint covers
 * @param offset            every byte before this offset is acknowledged by a router
 * @param dev               device of the file when last seen (a hint)
 * @param ino               inode of the file when last seen (a hint)
 * @param path              path of the file when last seen
 * @param lastSeenMillis    when the agent last saw the file
 */
public record CheckpointEntry(String taskId, long streamId, long fingerprint, int fingerprintLength, long offset,
                              long dev, long ino, String path, long lastSeenMillis) {

    public Key key() {
        return new Key(taskId, streamId);
    }

    public CheckpointEntry withOffset(long newOffset) {
        return new CheckpointEntry(taskId, streamId, fingerprint, fingerprintLength, newOffset, dev, ino, path, lastSeenMillis);
    }

    /** Entries are unique per task and stream id. */
    public record Key(String taskId, long streamId) {
    }
}
