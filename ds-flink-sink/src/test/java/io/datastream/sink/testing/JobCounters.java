package io.datastream.sink.testing;

import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;

/** Reads a job's metrics from an {@link InMemoryReporter}, summed over subtasks. */
public final class JobCounters {
    private JobCounters() {
    }

    /** The sum of the counters called {@code name} over every operator and subtask of the job. */
    public static long sum(InMemoryReporter metrics, JobID job, String name) {
        return sum(metrics, job, name, null);
    }

    /** The sum of the per-task counters called {@code name} of task {@code task} (metric group {@code task=<task>}). */
    public static long sumForTask(InMemoryReporter metrics, JobID job, String name, String task) {
        return sum(metrics, job, name, task);
    }

    /**
     * By metric group, not by identifier: a task whose operators have several outputs registers
     * some of Flink's own metrics twice under one identifier, which
     * {@link InMemoryReporter#getMetricsByIdentifiers} cannot put in one map.
     */
    private static long sum(InMemoryReporter metrics, JobID job, String name, String task) {
        long sum = 0;
        for (Map.Entry<MetricGroup, Map<String, Metric>> g : metrics.getMetricsByGroup().entrySet()) {
            Map<String, String> vars = g.getKey().getAllVariables();
            if (!job.toString().equals(vars.get("<job_id>")) || (task != null && !task.equals(vars.get("<task>")))) {
                continue;
            }
            if (g.getValue().get(name) instanceof Counter c) {
                sum += c.getCount();
            }
        }
        return sum;
    }

    /** A job-level gauge (safe after restarts, when task metrics of several attempts are retained); -1 if absent. */
    public static long jobGauge(InMemoryReporter metrics, JobID job, String name) {
        for (var t : metrics.findJobMetricGroups(job, name)) {
            if (t.f2 instanceof Gauge) {
                return ((Number) ((Gauge<?>) t.f2).getValue()).longValue();
            }
        }
        return -1;
    }
}
