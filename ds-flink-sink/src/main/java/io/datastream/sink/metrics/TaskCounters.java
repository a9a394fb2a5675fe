package io.datastream.sink.metrics;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** The per-task counters of one task (one {@code task} metric group). */
public final class TaskCounters {
    public final Counter linesWritten;
    public final Counter linesDuplicate;
    public final Counter linesDuplicateByV1State;
    public final Counter linesOverlapping;
    public final Counter deadLetters;
    public final Counter timeFallback;

    TaskCounters(MetricGroup taskGroup) {
        linesWritten = SinkMetric.TASK_LINES_WRITTEN.register(taskGroup);
        linesDuplicate = SinkMetric.TASK_LINES_DUPLICATE.register(taskGroup);
        linesDuplicateByV1State = SinkMetric.TASK_LINES_DUPLICATE_BY_V1_STATE.register(taskGroup);
        linesOverlapping = SinkMetric.TASK_LINES_OVERLAPPING.register(taskGroup);
        deadLetters = SinkMetric.TASK_ENVELOPES_CORRUPT.register(taskGroup);
        timeFallback = SinkMetric.TASK_LINES_TIME_FALLBACK.register(taskGroup);
    }
}
