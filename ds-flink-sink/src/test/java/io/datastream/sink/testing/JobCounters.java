package io.datastream.sink.testing;

import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;

/** Reads a job's metrics from an {@link InMemoryReporter}, summed over subtasks. */
public final class JobCounters {
    private JobCounters() {
    }

    /** The sum of the counters called {@code name} over every operator and subtask of the job. */
    public static long sum(InMemoryReporter metrics, JobID job, String name) {
        long sum = 0;
        for (Map.Entry<String, Metric> e : metrics.getMetricsByIdentifiers(job).entrySet()) {
            if (e.getKey().endsWith("." + name) && e.getValue() instanceof Counter) {
                sum += ((Counter) e.getValue()).getCount();
            }
        }
        return sum;
    }

    /** The sum of the per-task counters called {@code name} of task {@code task} (metric group {@code task=<task>}). */
    public static long sumForTask(InMemoryReporter metrics, JobID job, String name, String task) {
        long sum = 0;
        for (Map.Entry<String, Metric> e : metrics.getMetricsByIdentifiers(job).entrySet()) {
            if (e.getKey().endsWith(".task." + task + "." + name) && e.getValue() instanceof Counter) {
                sum += ((Counter) e.getValue()).getCount();
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
