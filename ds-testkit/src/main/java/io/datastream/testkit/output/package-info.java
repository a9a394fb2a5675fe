/**
 * Reading what the sink committed: the finished (visible) part files of its output directory, as
 * tests and tools compare them with what was written.
 */
package io.datastream.testkit.output;
