/**
 * {@code ds standalone}: ZooKeeper, a Kafka broker (KRaft), ds-control, a router, an agent and the
 * Flink sink on a MiniCluster in one JVM, all state under one data directory, resumable after a
 * clean stop or a kill -9.
 */
package io.datastream.deploy.standalone;
