/**
 * Exactly-once by line identity: {@link io.datastream.sink.dedup.LineDeduplicator} keeps, per
 * source file (agent, fingerprint), the {@link io.datastream.sink.dedup.DeliveredRanges} of
 * byte offsets already written and drops every line whose range they cover.
 */
package io.datastream.sink.dedup;
