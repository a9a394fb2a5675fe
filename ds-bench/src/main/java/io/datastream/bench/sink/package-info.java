/**
 * Benchmarks of the Flink sink's per-line work outside Flink: the event-time parsers
 * ({@code io.datastream.sink.eventtime}) beside what the sink does with the same lines anyway
 * (decompress and walk the batch, format the chunks per bucket, compress the output).
 */
package io.datastream.bench.sink;
