/**
 * The sink job on a real Flink session cluster: a JobManager and TaskManagers as separate JVMs
 * started from Flink's own artifacts ({@link io.datastream.it.flink.FlinkSessionCluster}), the job
 * submitted through the JobManager's REST API by {@code ds sink --submit}, and its failures
 * (a TaskManager killed with kill -9).
 */
package io.datastream.it.flink;
