package io.datastream.agent.ship;

import io.datastream.agent.checkpoint.AckedOffset;
import java.util.List;
import java.util.Map;

/**
 * The shipper's view: acknowledged offsets changed since the last report, per-task counters,
 * and the connection.
 *
 * @param acked         streams whose acknowledged offset moved since the previous report
 * @param tasks         per-task counters
 * @param router        the router connected to now ("host:port"), or null
 * @param inFlight      batches sent and not yet acknowledged
 * @param queued        batches waiting to be sent (new, or to be re-sent)
 * @param reconnects    connections opened after the first one
 * @param creditLimit   the router's latest credit limit on this connection
 * @param ackedCounts   lines and bytes acknowledged up to the offsets in {@code acked} since the previous report, per
 *                      task and minute (a batch acknowledged ahead of an earlier one counts when the offset passes it)
 */
public record ShipperReport(List<AckedOffset> acked, Map<String, TaskShipping> tasks, String router, int inFlight, int queued,
                            long reconnects, long creditLimit, List<io.datastream.agent.checkpoint.MinuteCounts> ackedCounts) {

    /**
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
}
