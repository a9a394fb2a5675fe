/**
 * The sink's typed configuration: {@link io.datastream.sink.config.SinkConfig} and its section
 * records, bound from YAML by the shared configuration system ({@code io.datastream.config}):
 * unknown keys rejected, every problem reported at once with its key path, defaults in the
 * records' constructors and descriptions in their {@code @Doc} annotations, from which the
 * reference table of docs/sink.md is generated.
 */
package io.datastream.sink.config;
