package io.datastream.agent.tail;

import java.util.Map;

/**
 * The tailer at one moment, for status and metrics: each task's counters and file classes, and the
 * handles open. Taking one changes nothing (the streams that moved and the read counts go to the
 * checkpointer on their own way, pushed by the tailer: {@link Tailer#progressTo}).
 *
 * @param tasks     per-task counters and file classes
 * @param openFiles file handles open now
 */
public record TailerSnapshot(Map<String, TaskReport> tasks, int openFiles) {
}
