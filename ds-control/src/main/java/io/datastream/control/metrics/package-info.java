/**
 * The control server's Prometheus metrics ({@code ds_control_*}), in a registry of its own so
 * several servers can share a JVM (tests, standalone mode), exposed at {@code GET /metrics}.
 */
package io.datastream.control.metrics;
