/**
 * The router's benchmark: {@link io.datastream.router.bench.LoadGen} drives a router with
 * simulated agents into a real Kafka broker and compares it with a plain producer loop, or holds
 * thousands of idle agent connections against a router in another JVM. Numbers go to
 * docs/benchmarks.md ("Router"); nothing here asserts timing.
 */
package io.datastream.router.bench;
