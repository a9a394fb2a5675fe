/**
 * The sink's minute counts for ds-control: per task and read minute (the minute of each batch's
 * first event time, when the agent read its lines), the lines committed, duplicates dropped, dead
 * letters and time fallbacks, and the read-to-commit latency of the committed lines (a
 * {@link io.datastream.protocol.report.LatencyHistogram} per minute), counted when the checkpoint
 * that commits the files completes
 * ({@link io.datastream.sink.report.CommittedCounts}), into this JVM's ledger
 * ({@link io.datastream.sink.report.SinkReports}) that {@code ds sink} and {@code ds standalone}
 * push to control.
 */
package io.datastream.sink.report;
