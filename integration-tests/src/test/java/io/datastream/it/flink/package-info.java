/**
 * The sink job on a real Flink session cluster: a JobManager and TaskManagers as separate JVMs
 * started from Flink's own artifacts ({@link io.datastream.it.flink.FlinkSessionCluster}), the job
 * submitted through the JobManager's REST API by {@code ds sink --submit}, with ZooKeeper HA, and
 * the failures under it (a TaskManager or the JobManager killed with kill -9, a Kafka node, an
 * HDFS DataNode, the NameNode).
 */
package io.datastream.it.flink;
