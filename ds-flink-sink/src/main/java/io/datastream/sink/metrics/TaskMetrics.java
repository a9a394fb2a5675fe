package io.datastream.sink.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.metrics.MetricGroup;

/**
 * Per-task counters: one metric group per task id with the variable {@code task} (the
 * Prometheus reporter turns it into the label {@code task="web"}). The set of tasks is bounded:
 * the first {@link #MAX_TASKS} task ids an operator subtask sees get their own group, any later
 * one is counted under {@link #OVERFLOW_TASK}, so a producer writing arbitrary task ids cannot
 * grow the metric registry without bound. Single-threaded (one per operator subtask).
 */
public final class TaskMetrics<C> {
    /** Task ids with their own group, per operator subtask. */
    public static final int MAX_TASKS = 1000;
    /** The {@code task} value of the tasks beyond {@link #MAX_TASKS} (not a valid task id: it starts with '_'). */
    public static final String OVERFLOW_TASK = "_other";
    /** The name of the metric variable. */
    public static final String TASK_VARIABLE = "task";

    private final MetricGroup operatorGroup;
    private final Function<MetricGroup, C> counters;
    private final Map<String, C> byTask = new HashMap<>();
    private String lastTask;
    private C last;

    /** {@code counters}: registers one task's counters on its group. */
    public TaskMetrics(MetricGroup operatorGroup, Function<MetricGroup, C> counters) {
        this.operatorGroup = operatorGroup;
        this.counters = counters;
    }

    /** The per-task counters of the line de-duplication. */
    public static TaskMetrics<TaskCounters> lines(MetricGroup operatorGroup) {
        return new TaskMetrics<>(operatorGroup, TaskCounters::new);
    }

    /** The per-task counters of the event-id de-duplication. */
    public static TaskMetrics<EventIdCounters> eventIds(MetricGroup operatorGroup) {
        return new TaskMetrics<>(operatorGroup, EventIdCounters::new);
    }

    /** The counters of {@code taskId} (null counts as the empty id). */
    public C of(String taskId) {
        String t = taskId == null ? "" : taskId;
        if (t.equals(lastTask)) {
            return last;
        }
        C c = byTask.get(t);
        if (c == null) {
            if (byTask.size() >= MAX_TASKS) {
                c = byTask.computeIfAbsent(OVERFLOW_TASK, k -> counters.apply(operatorGroup.addGroup(TASK_VARIABLE, k)));
            } else {
                c = counters.apply(operatorGroup.addGroup(TASK_VARIABLE, t));
                byTask.put(t, c);
            }
        }
        lastTask = t;
        last = c;
        return c;
    }
}
