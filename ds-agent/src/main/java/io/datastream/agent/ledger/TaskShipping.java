package io.datastream.agent.ledger;

/**
 * One task's shipping counters, as of a snapshot.
 *
 * @param batchesSent    batches written to a router (re-sends included)
 * @param batchesAcked   batches acknowledged OK
 * @param resentBatches  batches sent again after RETRY_LATER, a disconnect or a GOAWAY
 * @param rejected       batches a router rejected (the task was parked)
 * @param linesAcked     lines acknowledged OK
 * @param bytesAcked     source bytes acknowledged OK
 * @param unackedBytes   source bytes built into batches and not acknowledged yet
 * @param oldestUnackedMillis creation time of the oldest unacknowledged batch (0 = none)
 * @param lastError      the last rejection, or null
 */
public record TaskShipping(long batchesSent, long batchesAcked, long resentBatches, long rejected, long linesAcked,
                           long bytesAcked, long unackedBytes, long oldestUnackedMillis, String lastError) {
}
