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
public record ShipperReport(List<AckedOffset> acked, Map<String, io.datastream.agent.ledger.TaskShipping> tasks, String router, int inFlight, int queued,
                            long reconnects, long creditLimit, List<io.datastream.agent.checkpoint.MinuteCounts> ackedCounts) {
}
