package io.datastream.agent.checkpoint;

/**
 * Lines and bytes of one task and read minute that the agent counted as read and as acknowledged,
 * kept in the checkpoint with the offsets they belong to: a delta from the tailer (read, up to its
 * counted offsets) or the shipper (acknowledged, up to its acknowledged offsets), or the sum the
 * checkpoint holds. After a restart the agent's minute reports go on from these sums, so a line
 * counted before a crash is not counted again and a minute reported before it is not replaced by
 * a smaller count.
 */
public record MinuteCounts(String taskId, long minute, long linesRead, long bytesRead, long linesAcked, long bytesAcked) {

    public static MinuteCounts read(String taskId, long minute, long lines, long bytes) {
        return new MinuteCounts(taskId, minute, lines, bytes, 0, 0);
    }

    public static MinuteCounts acked(String taskId, long minute, long lines, long bytes) {
        return new MinuteCounts(taskId, minute, 0, 0, lines, bytes);
    }

    public Key key() {
        return new Key(taskId, minute);
    }

    public MinuteCounts plus(MinuteCounts o) {
        return new MinuteCounts(taskId, minute, linesRead + o.linesRead, bytesRead + o.bytesRead, linesAcked + o.linesAcked,
                bytesAcked + o.bytesAcked);
    }

    /** Counts are unique per task and minute. equals and hashCode written out, as {@link CheckpointEntry.Key}'s (C1). */
    public record Key(String taskId, long minute) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && minute == k.minute && java.util.Objects.equals(taskId, k.taskId);
        }

        @Override
        public int hashCode() {
            return 31 * java.util.Objects.hashCode(taskId) + Long.hashCode(minute);
        }
    }
}
