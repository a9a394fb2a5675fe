/**
 * The agent benchmark (a main program, not a test): throughput reading pre-written logs, the
 * footprint at a steady rate, and many files. Results and commands in docs/benchmarks.md.
 */
package io.datastream.agent.bench;
