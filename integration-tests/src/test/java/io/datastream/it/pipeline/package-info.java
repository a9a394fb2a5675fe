/**
 * The multi-process end-to-end suite: ZooKeeper and a KRaft Kafka broker in the test JVM (or three
 * Kafka nodes, or a ZooKeeper ensemble of three, as processes); two
 * routers, two agents and the Flink sink as separate {@code ds} JVMs; HAProxy from Debian's
 * package in front of the routers. Each scenario writes its own task's log files and ends by
 * comparing the sink's committed output with what was written, every line exactly once, and
 * reconciling each tier's counts.
 */
package io.datastream.it.pipeline;
