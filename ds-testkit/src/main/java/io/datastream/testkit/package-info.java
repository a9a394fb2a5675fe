/**
 * Real components embedded in a JVM, for tests and for the standalone mode: a Kafka broker in
 * KRaft mode ({@link io.datastream.testkit.kafka}), a ZooKeeper server ({@link io.datastream.embedded.zk}),
 * free local ports ({@link io.datastream.testkit.net}) and realistic log generators
 * ({@code io.datastream.embedded.logs}).
 */
package io.datastream.testkit;
