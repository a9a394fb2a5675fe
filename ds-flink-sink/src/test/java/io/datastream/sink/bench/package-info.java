/** The sink benchmark ({@link io.datastream.sink.bench.SinkBenchmark}): a main class, not a test. */
package io.datastream.sink.bench;
