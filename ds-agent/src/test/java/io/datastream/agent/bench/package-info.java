/**
 * The agent benchmark (a main program, not a test): throughput reading pre-written logs, the
 * footprint at a steady rate, and many files; {@code LatencyBenchmark}: the latency from a line
 * written to its Kafka acknowledgement. Results and commands in docs/benchmarks.md.
 */
package io.datastream.agent.bench;
