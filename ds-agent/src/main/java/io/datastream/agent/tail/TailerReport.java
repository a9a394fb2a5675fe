package io.datastream.agent.tail;

import io.datastream.agent.checkpoint.StreamInfo;
import java.util.List;
import java.util.Map;

/**
 * What the tailer tells the checkpointer and the status reporter: streams created or moved
 * since the previous report, and per-task counters.
 */
public record TailerReport(List<StreamInfo> changed, Map<String, TaskReport> tasks, int openFiles) {
}
