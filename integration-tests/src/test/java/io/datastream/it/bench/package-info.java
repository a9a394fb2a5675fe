/**
 * Benchmarks over the suites' real processes (numbers printed, nothing asserted), run as main
 * classes with the integration-tests class path: {@link io.datastream.it.bench.SessionSinkBench}
 * (the sink on a Flink session cluster and on a MiniCluster, into HDFS). See docs/benchmarks.md.
 */
package io.datastream.it.bench;
