/**
 * The stream ledger: the one owner of what happens to each built batch and each stream after
 * the tailer hands a batch over (queued, sent, acknowledged, dropped), of the acknowledged offset
 * per stream (contiguous: it moves only past a prefix of acknowledged batches), of parked task
 * epochs and of streams sent back to be read again. It lives on the shipper's event loop and
 * speaks in records: {@link io.datastream.agent.ledger.LedgerOut} to the tailer and the minute
 * reports, {@link io.datastream.agent.checkpoint.Progress} to the checkpointer, and
 * non-destructive {@link io.datastream.agent.ledger.LedgerSnapshot}s for status and metrics.
 */
package io.datastream.agent.ledger;
