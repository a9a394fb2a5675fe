package io.datastream.registry.member;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An agent's view of one task, published in its {@link AgentInfo}.
 *
 * @param state                running, parked (a batch was rejected; see lastError), refused (the agent may not read its paths; see lastError) or stopped
 * @param files                files being followed
 * @param backlogBytes         bytes in those files not yet acknowledged (size minus acked offset)
 * @param lagMillis            age of the oldest unacknowledged data, 0 when caught up
 * @param linesRead            lines read since the agent started
 * @param bytesRead            bytes read since the agent started
 * @param linesAcked           lines acknowledged by routers since the agent started
 * @param droppedLines         records truncated or skipped, counted (the sum of droppedLinesByReason)
 * @param droppedBytes         bytes skipped and never sent, counted (the sum of droppedBytesByReason)
 * @param errors               errors since the agent started (unreadable files, rejected batches)
 * @param lastError            the most recent error, or null
 * @param droppedBytesByReason droppedBytes by {@link DropReason#wireName()}; empty from agents that predate it
 * @param droppedLinesByReason droppedLines by {@link DropReason#wireName()}; empty from agents that predate it
 */
public record TaskStatus(String state, int files, long backlogBytes, long lagMillis, long linesRead, long bytesRead,
                         long linesAcked, long droppedLines, long droppedBytes, long errors, String lastError,
                         Map<String, Long> droppedBytesByReason, Map<String, Long> droppedLinesByReason) {

    @JsonCreator
    public TaskStatus {
        droppedBytesByReason = copy(droppedBytesByReason);
        droppedLinesByReason = copy(droppedLinesByReason);
    }

    /** A status without drops by reason (tests, agents that predate them). */
    public TaskStatus(String state, int files, long backlogBytes, long lagMillis, long linesRead, long bytesRead,
                      long linesAcked, long droppedLines, long droppedBytes, long errors, String lastError) {
        this(state, files, backlogBytes, lagMillis, linesRead, bytesRead, linesAcked, droppedLines, droppedBytes, errors, lastError,
                null, null);
    }

    private static Map<String, Long> copy(Map<String, Long> m) {
        return m == null || m.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
