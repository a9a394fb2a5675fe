/** The names and meanings of the sink's metrics ({@link io.datastream.sink.metrics.SinkMetric}). */
package io.datastream.sink.metrics;
