package io.datastream.registry.member;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a sink launcher ({@code ds sink}, {@code ds standalone}) publishes about the Flink job it
 * runs: per task, what the job wrote and what it set aside, so that the task's status shows the
 * sink's side next to the agents'. Counts are work done since the launcher started (a job
 * restored from a checkpoint counts re-done work again); the output files are exactly once, these
 * counts are not.
 *
 * @param id              the sink's id (unique in the cluster)
 * @param host            where it runs
 * @param version         software version
 * @param tasks           per task id, its counts
 * @param updatedAtMillis when this was written
 */
public record SinkInfo(String id, String host, String version, Map<String, Counts> tasks, long updatedAtMillis) {
    public SinkInfo {
        tasks = tasks == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(tasks));
    }

    /**
     * One task's counts at the sink.
     *
     * @param linesWritten     lines handed to the file writer (committed with the next checkpoint)
     * @param linesDuplicate   lines dropped as already delivered (the same identity seen before)
     * @param linesOverlapping lines written although part of their byte range was delivered before
     * @param deadLetters      envelopes of the task whose payload did not decode (dead-lettered)
     * @param linesUntimed     lines without a parsable event time, bucketed by read time
     */
    public record Counts(long linesWritten, long linesDuplicate, long linesOverlapping, long deadLetters, long linesUntimed) {
        public Counts plus(Counts o) {
            return new Counts(linesWritten + o.linesWritten, linesDuplicate + o.linesDuplicate,
                    linesOverlapping + o.linesOverlapping, deadLetters + o.deadLetters, linesUntimed + o.linesUntimed);
        }
    }
}
