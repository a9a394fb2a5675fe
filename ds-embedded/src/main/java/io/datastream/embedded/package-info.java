/**
 * What {@code ds standalone} runs inside itself, and what the test suites start the same way: a
 * ZooKeeper server ({@link io.datastream.embedded.zk.EmbeddedZooKeeper}, ZooKeeper's own
 * {@code ZooKeeperServerEmbedded}), a KRaft Kafka broker
 * ({@link io.datastream.embedded.kafka.EmbeddedKafka}, Kafka's {@code KafkaRaftServer}), both on
 * loopback unless told otherwise, and deterministic realistic log lines
 * ({@link io.datastream.embedded.logs}) for the demo stream and the benchmarks.
 */
package io.datastream.embedded;
