package io.datastream.agent.status;

import io.datastream.registry.member.TaskStatus;
import java.util.Map;

/**
 * A point-in-time view of the whole agent, built from the tailer's and shipper's latest reports.
 *
 * @param tasks          per-task status, as published in ZooKeeper
 * @param files          per task: file counts by class ("fast", "slow", "inactive", "rotated", "waiting")
 * @param router         the router connected to now, or null
 * @param inFlightBatches batches sent and not acknowledged
 * @param queuedBatches  batches waiting to be sent
 * @param reconnects     router connections after the first
 * @param openFiles      file handles open
 * @param checkpointWrites checkpoint files written
 * @param batchesSent    per task: batches sent (re-sends included)
 * @param batchesResent  per task: batches sent again
 * @param batchesRejected per task: batches rejected
 * @param bytesAcked     per task: source bytes acknowledged
 */
public record AgentStatus(Map<String, TaskStatus> tasks, Map<String, Map<String, Integer>> files, String router, int inFlightBatches,
                          int queuedBatches, long reconnects, int openFiles, long checkpointWrites, Map<String, Long> batchesSent,
                          Map<String, Long> batchesResent, Map<String, Long> batchesRejected, Map<String, Long> bytesAcked) {
    public static final AgentStatus EMPTY = new AgentStatus(Map.of(), Map.of(), null, 0, 0, 0, 0, 0, Map.of(), Map.of(), Map.of(), Map.of());
}
