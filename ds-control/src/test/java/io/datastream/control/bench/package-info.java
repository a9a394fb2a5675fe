/**
 * The control benchmark ({@link io.datastream.control.bench.ControlBenchmark}): a runnable main,
 * not a test, measuring agent listing through the REST API with 20,000 registered agents and
 * the time a task change takes to reach every matching agent's watch. See docs/benchmarks.md.
 */
package io.datastream.control.bench;
