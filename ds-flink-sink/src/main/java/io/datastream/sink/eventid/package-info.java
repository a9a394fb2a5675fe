/**
 * De-duplication by a client's own event id: the router's HTTP events that carry header
 * {@code ds.eventId} come in batches marked {@code ds.eventIds} ({@link
 * io.datastream.protocol.batch.ReservedHeaders#EVENT_IDS}); the line de-duplication hands those
 * whose byte range is new to this stage as {@link io.datastream.sink.eventid.EventIdLine}s, keyed
 * by (task, client, id) ({@link io.datastream.sink.eventid.EventIdReader}), and
 * {@link io.datastream.sink.eventid.EventIdDeduplicator} writes the first of each key within
 * {@code dedup.eventIdTtl} and drops the rest (a client's re-send).
 */
package io.datastream.sink.eventid;
