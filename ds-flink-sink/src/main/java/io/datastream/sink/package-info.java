/**
 * The ds Flink sink: {@link io.datastream.sink.SinkJob} wires Kafka envelopes through parsing,
 * per-file de-duplication by line identity and compressed, bucketed line files, exactly once
 * through Flink checkpoints. Its {@code main} is the entry point of {@code flink run};
 * {@code configureEnvironment} and {@code define} embed the job in another launcher.
 */
package io.datastream.sink;
