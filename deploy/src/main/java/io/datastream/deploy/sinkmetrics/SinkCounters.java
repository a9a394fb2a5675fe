package io.datastream.deploy.sinkmetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;

/**
 * The {@code ds_sink_*} counters of the sink job running in this JVM, as the reporter handed
 * them over: one entry per counter instance (operator subtask), read and summed on demand by
 * name and labels. The final count of a counter that goes away (its subtask ended or restarted)
 * is kept, so the sums only grow, as Prometheus counters should. JVM-wide because Flink
 * instantiates reporters itself; there is one sink job per {@code ds sink} or
 * {@code ds standalone} process.
 */
public final class SinkCounters {
    /** The counters of this JVM's sink job. */
    public static final SinkCounters JVM = new SinkCounters();

    SinkCounters() {
    }

    /** A counter's name and its labels (only the sink's own bounded ones: task, reason). */
    public record Series(String name, Map<String, String> labels) {
        public Series {
            labels = Map.copyOf(labels);
        }

        boolean matches(String metric, Map<String, String> having) {
            return name.equals(metric) && labels.entrySet().containsAll(having.entrySet());
        }
    }

    private final Map<Counter, Series> counters = new ConcurrentHashMap<>();
    /** The final counts of counters that went away, per series. */
    private final Map<Series, Long> retired = new ConcurrentHashMap<>();

    void add(Counter c, Series s) {
        counters.put(c, s);
    }

    void remove(Counter c) {
        Series s = counters.remove(c);
        if (s != null) {
            retired.merge(s, c.getCount(), Long::sum);
        }
    }

    /** Every series with its value summed over the subtasks that count it, sorted by name and labels. */
    public Map<Series, Long> snapshot() {
        Map<Series, Long> sums = new TreeMap<>((a, b) -> {
            int c = a.name().compareTo(b.name());
            return c != 0 ? c : new TreeMap<>(a.labels()).toString().compareTo(new TreeMap<>(b.labels()).toString());
        });
        for (Map.Entry<Counter, Series> e : counters.entrySet()) {
            sums.merge(e.getValue(), e.getKey().getCount(), Long::sum);
        }
        retired.forEach((s, n) -> sums.merge(s, n, Long::sum));
        return sums;
    }

    /** The sum of {@code name} over every series whose labels include {@code labels}. */
    public long sum(String name, Map<String, String> labels) {
        long n = 0;
        for (Map.Entry<Counter, Series> e : counters.entrySet()) {
            if (e.getValue().matches(name, labels)) {
                n += e.getKey().getCount();
            }
        }
        for (Map.Entry<Series, Long> e : retired.entrySet()) {
            if (e.getKey().matches(name, labels)) {
                n += e.getValue();
            }
        }
        return n;
    }

    /** The distinct values of label {@code label} among the series of {@code name}. */
    public List<String> labelValues(String name, String label) {
        List<String> values = new ArrayList<>();
        for (Series s : counters.values()) {
            String v = s.labels().get(label);
            if (s.name().equals(name) && v != null && !values.contains(v)) {
                values.add(v);
            }
        }
        values.sort(String::compareTo);
        return values;
    }
}
