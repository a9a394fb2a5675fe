/**
 * Benchmarks of the router's channels and sinks: the file-queue channel against a plain sequential
 * file write ({@code FileQueueBench}), and the Kafka sink with and without data shaping against a
 * plain producer on a real broker ({@code ShapingBench}).
 */
package io.datastream.bench.channel;
