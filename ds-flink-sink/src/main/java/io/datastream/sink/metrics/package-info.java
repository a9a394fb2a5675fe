/**
 * The names and meanings of the sink's metrics ({@link io.datastream.sink.metrics.SinkMetric}),
 * and the per-task counters ({@link io.datastream.sink.metrics.TaskMetrics}: one metric group
 * with the variable {@code task} per task id, bounded).
 */
package io.datastream.sink.metrics;
