/**
 * The sink's counters outside the Flink job: a Flink metric reporter that keeps the job's
 * {@code ds_sink_*} counters summed per task and reason ({@link io.datastream.deploy.sinkmetrics.SinkCounters}),
 * serves them in the Prometheus text format on a loopback HTTP port in {@code ds sink} and
 * {@code ds standalone}, and lets the standalone progress line read them in-process; and the
 * sink's minute reports to ds-control ({@link io.datastream.deploy.sinkmetrics.SinkReporting}: the
 * ledger the job's operators count committed lines into, pushed by one thread).
 */
package io.datastream.deploy.sinkmetrics;
