package io.datastream.sink.metrics;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.MetricGroup;

/**
 * Per-task counters: one metric group per task id with the variable {@code task} (the
 * Prometheus reporter turns it into the label {@code task="web"}). The set of tasks is bounded:
 * the first {@link #MAX_TASKS} task ids an operator subtask sees get their own group, any later
 * one is counted under {@link #OVERFLOW_TASK}, so a producer writing arbitrary task ids cannot
 * grow the metric registry without bound. Single-threaded (one per operator subtask).
 */
public final class TaskMetrics {
    /** Task ids with their own group, per operator subtask. */
    public static final int MAX_TASKS = 1000;
    /** The {@code task} value of the tasks beyond {@link #MAX_TASKS} (not a valid task id: it starts with '_'). */
    public static final String OVERFLOW_TASK = "_other";
    /** The name of the metric variable. */
    public static final String TASK_VARIABLE = "task";

    private final MetricGroup operatorGroup;
    private final Map<String, TaskCounters> byTask = new HashMap<>();
    private String lastTask;
    private TaskCounters last;

    public TaskMetrics(MetricGroup operatorGroup) {
        this.operatorGroup = operatorGroup;
    }

    /** The counters of {@code taskId} (null counts as the empty id). */
    public TaskCounters of(String taskId) {
        String t = taskId == null ? "" : taskId;
        if (t.equals(lastTask)) {
            return last;
        }
        TaskCounters c = byTask.get(t);
        if (c == null) {
            if (byTask.size() >= MAX_TASKS) {
                c = byTask.computeIfAbsent(OVERFLOW_TASK, k -> new TaskCounters(operatorGroup.addGroup(TASK_VARIABLE, k)));
            } else {
                c = new TaskCounters(operatorGroup.addGroup(TASK_VARIABLE, t));
                byTask.put(t, c);
            }
        }
        lastTask = t;
        last = c;
        return c;
    }
}
