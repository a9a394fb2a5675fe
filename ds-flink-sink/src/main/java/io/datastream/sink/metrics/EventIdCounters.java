package io.datastream.sink.metrics;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** The per-task counters of the event-id de-duplication (one {@code task} metric group). */
public final class EventIdCounters {
    public final Counter linesWritten;
    public final Counter linesDuplicate;

    EventIdCounters(MetricGroup taskGroup) {
        linesWritten = SinkMetric.TASK_LINES_WRITTEN.register(taskGroup);
        linesDuplicate = SinkMetric.TASK_LINES_DUPLICATE_EVENT_ID.register(taskGroup);
    }
}
