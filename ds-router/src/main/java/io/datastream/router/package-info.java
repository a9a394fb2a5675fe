/**
 * The stateless router: it accepts agents over the ds protocol, grants them credit from a
 * bounded memory pool, routes each batch to a Kafka topic and acknowledges it once Kafka has it.
 * {@link io.datastream.router.Router} is the entry point (start, ports, graceful close);
 * {@link io.datastream.router.RouterConfig} its YAML configuration. docs/router.md describes both.
 */
package io.datastream.router;
