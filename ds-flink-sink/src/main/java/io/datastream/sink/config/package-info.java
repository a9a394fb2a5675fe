/**
 * The sink's typed configuration: {@link io.datastream.sink.config.SinkConfig} and its section
 * records, read from YAML with unknown keys rejected and every value validated with its key's
 * name in the error. {@link io.datastream.sink.config.SinkConfigKey} defines every key once
 * (type, default, meaning) and renders the reference table of docs/sink.md.
 */
package io.datastream.sink.config;
