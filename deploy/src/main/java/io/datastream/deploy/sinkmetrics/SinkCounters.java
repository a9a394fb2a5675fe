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
 * name and labels. JVM-wide because Flink instantiates reporters itself; there is one sink job
 * per {@code ds sink} or {@code ds standalone} process.
 */
public final class SinkCounters {
    /** The counters of this JVM's sink job. */
    public static final SinkCounters JVM = new SinkCounters();

    /** A counter's name and its labels (only the sink's own bounded ones: task, reason). */
    public record Series(String name, Map<String, String> labels) {
        public Series {
            labels = Map.copyOf(labels);
        }
    }

    private final Map<Counter, Series> counters = new ConcurrentHashMap<>();

    void add(Counter c, Series s) {
        counters.put(c, s);
    }

    void remove(Counter c) {
        counters.remove(c);
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
        return sums;
    }

    /** The sum of {@code name} over every series whose labels include {@code labels}. */
    public long sum(String name, Map<String, String> labels) {
        long n = 0;
        for (Map.Entry<Counter, Series> e : counters.entrySet()) {
            Series s = e.getValue();
            if (s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())) {
                n += e.getKey().getCount();
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
