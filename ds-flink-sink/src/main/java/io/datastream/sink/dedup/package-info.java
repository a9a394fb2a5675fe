/**
 * Exactly-once by line identity (task, agent, fingerprint, offset):
 * {@link io.datastream.sink.dedup.LineDeduplicator} keeps, per source file (agent, fingerprint)
 * and task, the {@link io.datastream.sink.dedup.DeliveredRanges} of byte offsets already written
 * and drops every line whose range they cover.
 */
package io.datastream.sink.dedup;
