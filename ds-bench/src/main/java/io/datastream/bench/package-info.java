/**
 * Benchmarks of Datastream, in their own module (never timed assertions in tests). Built as a
 * runnable JMH uber jar, {@code ds-bench/target/ds-bench.jar}; docs/benchmarks.md has the
 * commands and the numbers measured.
 */
package io.datastream.bench;
