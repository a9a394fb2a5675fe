/**
 * Sinks: consumers of one channel with their own thread and position
 * ({@link io.datastream.router.sink.Sink}). {@link io.datastream.router.sink.KafkaSink} writes
 * events as DSB1 batches with stable identities ({@link io.datastream.router.sink.EventIdentity},
 * {@link io.datastream.router.channel.Incarnation}) through the router's producer, and
 * {@link io.datastream.router.sink.ShapingKafkaSink} does so for a shaped channel, packing events
 * with the same value of a header into records of a target size;
 * {@link io.datastream.router.sink.WebhookSink} POSTs NDJSON batches with retries and back-off;
 * {@link io.datastream.router.sink.FileSink} writes rolling local NDJSON files;
 * {@link io.datastream.router.sink.DiscardSink} commits without writing (benchmarks).
 */
package io.datastream.router.sink;
