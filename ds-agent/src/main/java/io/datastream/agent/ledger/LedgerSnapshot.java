package io.datastream.agent.ledger;

import java.util.Map;

/**
 * The ledger's counters at one moment; taking one changes nothing.
 *
 * @param tasks    per-task counters (tasks removed and done are left out)
 * @param inFlight batches sent and not yet acknowledged
 * @param queued   batches waiting to be sent (new, or to be re-sent)
 */
public record LedgerSnapshot(Map<String, TaskShipping> tasks, int inFlight, int queued) {
    public LedgerSnapshot {
        tasks = Map.copyOf(tasks);
    }
}
