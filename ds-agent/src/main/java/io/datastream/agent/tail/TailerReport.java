package io.datastream.agent.tail;

import io.datastream.agent.checkpoint.StreamInfo;
import java.util.List;
import java.util.Map;

/**
 * What the tailer tells the checkpointer and the status reporter: streams created or moved
 * since the previous report (with their counted offsets), the lines and bytes counted as read
 * since then up to those offsets, per task and minute, per-task counters, and the minute it reads
 * new lines in once this report is in a written checkpoint (-1 = not keeping minutes).
 */
public record TailerReport(List<StreamInfo> changed, Map<String, TaskReport> tasks, int openFiles,
                           List<io.datastream.agent.checkpoint.MinuteCounts> read, long openMinute) {
}
