package io.datastream.sink.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;

/**
 * The per-task counters of the sink jobs running in this JVM, summed over subtasks, for a
 * launcher that runs the job on an embedded MiniCluster (standalone mode, {@code ds sink}) and
 * wants to show them: fed by {@link TaskCountsReporter}, which Flink calls as counters come and go.
 * A counter that goes away (its subtask restarted or the job stopped) keeps its last count here,
 * so the totals only grow; like every counter they count work done, including work repeated after
 * a restore. Thread-safe.
 */
public final class TaskCounts {
    private static final Map<Key, Counter> LIVE = new ConcurrentHashMap<>();
    private static final Map<Key, Long> RETIRED = new ConcurrentHashMap<>();

    private record Key(String task, String metric, Counter counter) {
    }

    private TaskCounts() {
    }

    /** Task id -> metric name ({@code ds_sink_task_*}) -> count, summed over subtasks. */
    public static Map<String, Map<String, Long>> snapshot() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        for (Map.Entry<Key, Counter> e : LIVE.entrySet()) {
            add(out, e.getKey(), e.getValue().getCount());
        }
        for (Map.Entry<Key, Long> e : RETIRED.entrySet()) {
            add(out, e.getKey(), e.getValue());
        }
        return out;
    }

    /** The count of {@code metric} for {@code task}, 0 if none. */
    public static long get(String task, SinkMetric metric) {
        return snapshot().getOrDefault(task, Map.of()).getOrDefault(metric.metricName(), 0L);
    }

    private static void add(Map<String, Map<String, Long>> out, Key k, long v) {
        out.computeIfAbsent(k.task(), t -> new TreeMap<>()).merge(k.metric(), v, Long::sum);
    }

    static void added(String task, String metric, Counter counter) {
        LIVE.put(new Key(task, metric, counter), counter);
    }

    static void removed(String task, String metric, Counter counter) {
        Key k = new Key(task, metric, counter);
        if (LIVE.remove(k) != null) {
            RETIRED.merge(new Key(task, metric, null), counter.getCount(), Long::sum);
        }
    }

    /** Forgets everything (tests, or a launcher starting a new job in the same JVM). */
    public static void clear() {
        LIVE.clear();
        RETIRED.clear();
    }
}
