package io.datastream.registry.member;

/**
 * An agent's view of one task, published in its {@link AgentInfo}.
 *
 * @param state          running, parked (a batch was rejected; see lastError) or stopped
 * @param files          files being followed
 * @param backlogBytes   bytes in those files not yet acknowledged (size minus acked offset)
 * @param lagMillis      age of the oldest unacknowledged data, 0 when caught up
 * @param linesRead      lines read since the agent started
 * @param bytesRead      bytes read since the agent started
 * @param linesAcked     lines acknowledged by routers since the agent started
 * @param droppedLines   records truncated or skipped (over-long lines, files gone before read), counted
 * @param droppedBytes   bytes skipped and never sent, counted
 * @param errors         errors since the agent started (unreadable files, rejected batches)
 * @param lastError      the most recent error, or null
 */
public record TaskStatus(String state, int files, long backlogBytes, long lagMillis, long linesRead, long bytesRead,
                         long linesAcked, long droppedLines, long droppedBytes, long errors, String lastError) {
}
