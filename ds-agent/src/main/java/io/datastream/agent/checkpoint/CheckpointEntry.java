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
 * @param countedOffset     every line before this offset is counted as read in the checkpoint's minute counts
 *                          (at least {@code offset}): lines between the two are read again after a restart, and
 *                          counted as re-read, not as read
 * @param ranges            the read minutes of the lines between {@code offset} and {@code countedOffset}, in order
 */
public record CheckpointEntry(String taskId, long streamId, long fingerprint, int fingerprintLength, long offset,
                              long dev, long ino, String path, long lastSeenMillis, long countedOffset, java.util.List<CountedRange> ranges) {

    public CheckpointEntry {
        countedOffset = Math.max(offset, countedOffset);
        ranges = ranges == null ? java.util.List.of() : java.util.List.copyOf(ranges);
    }

    public CheckpointEntry(String taskId, long streamId, long fingerprint, int fingerprintLength, long offset,
                           long dev, long ino, String path, long lastSeenMillis, long countedOffset) {
        this(taskId, streamId, fingerprint, fingerprintLength, offset, dev, ino, path, lastSeenMillis, countedOffset, java.util.List.of());
    }

    /** An entry whose counted offset is its acknowledged offset (version 1 files, tests). */
    public CheckpointEntry(String taskId, long streamId, long fingerprint, int fingerprintLength, long offset,
                           long dev, long ino, String path, long lastSeenMillis) {
        this(taskId, streamId, fingerprint, fingerprintLength, offset, dev, ino, path, lastSeenMillis, offset);
    }

    public Key key() {
        return new Key(taskId, streamId);
    }

    public CheckpointEntry withOffset(long newOffset) {
        return new CheckpointEntry(taskId, streamId, fingerprint, fingerprintLength, newOffset, dev, ino, path, lastSeenMillis,
                countedOffset, ranges.stream().filter(r -> r.endOffset() > newOffset).toList());
    }

    /**
     * Entries are unique per task and stream id. Also the shipper's ledger's key. equals and
     * hashCode are written out (the same values as a record's own): a record's are built from
     * method handles at run time, which C1, the JIT the agent runs with, does not inline; they were
     * 2 % of the agent's CPU samples at 10 MB/s (perf, 2026-12-04).
     */
    public record Key(String taskId, long streamId) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && streamId == k.streamId && java.util.Objects.equals(taskId, k.taskId);
        }

        @Override
        public int hashCode() {
            return 31 * java.util.Objects.hashCode(taskId) + Long.hashCode(streamId);
        }
    }
}
