package io.datastream.sink.metrics;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The sink's own counters, defined once with their meaning. They are registered on the
 * operator metric groups of the operators that count them, so a reporter shows them with the
 * job, task and operator scope (the Prometheus reporter as
 * {@code flink_taskmanager_job_task_operator_ds_sink_...}). Counters count work done, including
 * work repeated after a restore from a checkpoint; the files are exactly once, the counters are not.
 */
public enum SinkMetric {
    ENVELOPES_IN("ds_sink_envelopes_in_total", Operators.PARSE, "Kafka records read (each should be one envelope)."),
    ENVELOPE_BYTES_IN("ds_sink_envelope_bytes_in_total", Operators.PARSE, "Bytes of the Kafka record values read (compressed envelopes)."),
    ENVELOPES_CORRUPT("ds_sink_envelopes_corrupt_total", Operators.PARSE + ", " + Operators.DEDUP,
            "Records that are not valid envelopes (parse) or whose payload does not decode (de-duplicate); each one is written as a dead letter."),
    BATCHES_DUPLICATE("ds_sink_batches_duplicate_total", Operators.DEDUP, "Envelopes whose every line was already delivered: dropped whole, without decompression."),
    LINES_IN("ds_sink_lines_in_total", Operators.DEDUP, "Lines in valid envelopes."),
    LINES_DUPLICATE("ds_sink_lines_duplicate_total", Operators.DEDUP, "Lines dropped because their byte range was already delivered."),
    LINES_OVERLAPPING("ds_sink_lines_overlapping_total", Operators.DEDUP,
            "Lines whose byte range was partly (not wholly) delivered before: written, but a sign that a file was rewritten in place."),
    LINES_WRITTEN("ds_sink_lines_written_total", Operators.DEDUP + ", " + Operators.EVENT_IDS, "Lines handed to the file writer."),
    BYTES_WRITTEN("ds_sink_bytes_written_total", Operators.DEDUP + ", " + Operators.EVENT_IDS,
            "Bytes of the lines handed to the file writer, uncompressed, with newline and metadata."),
    EVENT_ID_LINES_IN("ds_sink_event_id_lines_in_total", Operators.DEDUP,
            "Lines with a client event id (batches marked ds.eventIds) whose byte range was new: handed to the event-id de-duplication instead of the file writer."),
    EVENT_ID_UNREADABLE("ds_sink_event_id_unreadable_total", Operators.DEDUP,
            "Lines of batches marked ds.eventIds whose id could not be read (not a JSON event, ds.eventId not a string or over 256 characters): written, identified by their byte range only."),
    LINES_DUPLICATE_EVENT_ID("ds_sink_lines_duplicate_event_id_total", Operators.EVENT_IDS,
            "Lines dropped because their client event id (task, ds.client, ds.eventId) was written within dedup.eventIdTtl: a client's re-send."),
    RANGES_EVICTED("ds_sink_dedup_ranges_evicted_total", Operators.DEDUP,
            "Delivered ranges forgotten because a file had more than dedup.maxRangesPerFile disjoint ranges."),
    LINES_TIME_FALLBACK("ds_sink_lines_time_fallback_total", Operators.DEDUP,
            "Lines written whose task asks for an event time (header ds.time) but in which none was found: bucketed by the time they were read."),
    TASK_LINES_WRITTEN("ds_sink_task_lines_written_total", Operators.DEDUP_PER_TASK + ", " + Operators.EVENT_IDS_PER_TASK,
            "Lines of the task handed to the file writer."),
    TASK_LINES_DUPLICATE("ds_sink_task_lines_duplicate_total", Operators.DEDUP_PER_TASK,
            "Lines of the task dropped because the task had already delivered their byte range (a re-send by an agent or a router)."),
    TASK_LINES_DUPLICATE_EVENT_ID("ds_sink_task_lines_duplicate_event_id_total", Operators.EVENT_IDS_PER_TASK,
            "Lines of the task dropped because their client event id had been written within dedup.eventIdTtl (a client's re-send)."),
    TASK_LINES_DUPLICATE_BY_V1_STATE("ds_sink_task_lines_duplicate_by_v1_state_total", Operators.DEDUP_PER_TASK,
            "Of the task's duplicates, those dropped only because state restored from release 0.1 (which did not record the task) had delivered their range for some task: a task that reads a file for the first time after the upgrade loses these lines until the old state expires (dedup.ttl)."),
    TASK_LINES_OVERLAPPING("ds_sink_task_lines_overlapping_total", Operators.DEDUP_PER_TASK,
            "Lines of the task whose byte range the task had partly delivered before: written."),
    TASK_ENVELOPES_CORRUPT("ds_sink_task_envelopes_corrupt_total", Operators.DEDUP_PER_TASK,
            "Envelopes of the task whose payload does not decode: dead letters (records that are not envelopes at all have no task and are counted in the total only)."),
    TASK_LINES_TIME_FALLBACK("ds_sink_task_lines_time_fallback_total", Operators.DEDUP_PER_TASK,
            "Lines of the task written without a parsable event time, into the bucket of their read time.");


    private final String metricName;
    private final String operator;
    private final String description;

    SinkMetric(String metricName, String operator, String description) {
        this.metricName = metricName;
        this.operator = operator;
        this.description = description;
    }

    /** The operator names that register this metric. */
    public String operator() {
        return operator;
    }

    /** A Markdown table of every metric: name, operator, meaning. */
    public static String referenceTable() {
        StringBuilder sb = new StringBuilder("| metric | operator | meaning |\n|---|---|---|\n");
        for (SinkMetric m : values()) {
            sb.append("| `").append(m.metricName).append("` | ").append(m.operator).append(" | ").append(m.description).append(" |\n");
        }
        return sb.toString();
    }

    /** Names of the operators, as the job names them. */
    private static final class Operators {
        static final String PARSE = "parse envelopes";
        static final String DEDUP = "de-duplicate lines";
        static final String DEDUP_PER_TASK = "de-duplicate lines, per `task`";
        static final String EVENT_IDS = "de-duplicate event ids";
        static final String EVENT_IDS_PER_TASK = "de-duplicate event ids, per `task`";
    }

    public String metricName() {
        return metricName;
    }

    public String description() {
        return description;
    }

    /** Registers this counter on {@code group}. */
    public Counter register(MetricGroup group) {
        return group.counter(metricName);
    }
}
