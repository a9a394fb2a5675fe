package io.datastream.agent.ship;

import io.datastream.agent.ledger.TaskShipping;
import java.util.Map;

/**
 * The shipper at one moment, for status and metrics: per-task counters and the connection.
 * Taking one changes nothing (acknowledged offsets go to the checkpointer on their own way).
 *
 * @param tasks         per-task counters
 * @param router        the router connected to now ("host:port"), or null
 * @param inFlight      batches sent and not yet acknowledged
 * @param queued        batches waiting to be sent (new, or to be re-sent)
 * @param reconnects    connections opened after the first one
 * @param creditLimit   the router's latest credit limit on this connection
 */
public record ShipperSnapshot(Map<String, TaskShipping> tasks, String router, int inFlight, int queued, long reconnects,
                              long creditLimit) {
}
