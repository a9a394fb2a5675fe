/**
 * Routing: which Kafka topic (and mode and partitioner) a batch goes to. The same expression
 * language and topic templates serve the HTTP source's events, over {@code header.NAME} only
 * ({@link io.datastream.router.route.Fields} names what a value offers). Rules are compiled once
 * at configuration load ({@link io.datastream.router.route.ExpressionCompiler} for the
 * {@code when} expressions, {@link io.datastream.router.route.TopicTemplate} for topic names)
 * and evaluated per batch on its header fields, never per line, by
 * {@link io.datastream.router.route.RouteTable}.
 */
package io.datastream.router.route;
