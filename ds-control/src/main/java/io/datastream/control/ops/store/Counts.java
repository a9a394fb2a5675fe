package io.datastream.control.ops.store;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counts of one minute (or hour) of one series: a value per {@link Counter}, lines
 * dropped (agents) and refused (routers) by reason, and the sink's read-to-commit latencies
 * ({@link LatencyBuckets}). Immutable.
 */
public final class Counts {
    /** Longest reason name accepted. */
    public static final int MAX_REASON_LENGTH = 64;
    /** Most reasons per map. */
    public static final int MAX_REASONS = 32;

    private static final Counter[] COUNTERS = Counter.values();
    private final long[] values;
    private final Map<String, Long> droppedByReason;
    private final Map<String, Long> refusedByReason;
    private final LatencyBuckets latency;

    private Counts(long[] values, Map<String, Long> droppedByReason, Map<String, Long> refusedByReason, LatencyBuckets latency) {
        this.values = values;
        this.droppedByReason = Map.copyOf(droppedByReason);
        this.refusedByReason = Map.copyOf(refusedByReason);
        this.latency = latency;
    }

    public static Counts zero() {
        return new Counts(new long[COUNTERS.length], Map.of(), Map.of(), LatencyBuckets.EMPTY);
    }

    public static Builder builder() {
        return new Builder();
    }

    public long get(Counter c) {
        return values[c.ordinal()];
    }

    public Map<String, Long> droppedByReason() {
        return droppedByReason;
    }

    public Map<String, Long> refusedByReason() {
        return refusedByReason;
    }

    /** The sink's read-to-commit latencies (empty for other tiers). */
    public LatencyBuckets latency() {
        return latency;
    }

    /** This and {@code later} as one longer window (counters add up, gauges take the larger). */
    public Counts plusOverTime(Counts later) {
        long[] v = new long[COUNTERS.length];
        for (Counter c : COUNTERS) {
            v[c.ordinal()] = c.overTime(get(c), later.get(c));
        }
        return new Counts(v, merge(droppedByReason, later.droppedByReason), merge(refusedByReason, later.refusedByReason),
                latency.plus(later.latency));
    }

    private static Map<String, Long> merge(Map<String, Long> a, Map<String, Long> b) {
        if (b.isEmpty()) {
            return a;
        }
        Map<String, Long> m = new TreeMap<>(a);
        b.forEach((k, v) -> m.merge(k, v, Long::sum));
        return m;
    }

    /** Every counter by JSON name, then the reason maps when not empty. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (Counter c : COUNTERS) {
            m.put(c.json(), get(c));
        }
        if (!droppedByReason.isEmpty()) {
            m.put("droppedByReason", new TreeMap<>(droppedByReason));
        }
        if (!refusedByReason.isEmpty()) {
            m.put("refusedByReason", new TreeMap<>(refusedByReason));
        }
        if (!latency.isEmpty()) {
            long max = get(Counter.LATENCY_MAX_MS);
            Map<String, Object> l = new java.util.LinkedHashMap<>();
            l.put("count", latency.count());
            l.put("p50Ms", latency.percentile(0.5, max));
            l.put("p99Ms", latency.percentile(0.99, max));
            l.put("maxMs", max);
            m.put("latency", l);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Counts c && Arrays.equals(values, c.values) && droppedByReason.equals(c.droppedByReason)
                && refusedByReason.equals(c.refusedByReason) && latency.equals(c.latency);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values) * 31 + droppedByReason.hashCode();
    }

    @Override
    public String toString() {
        return toJson().toString();
    }

    /** Builds counts; values must not be negative. */
    public static final class Builder {
        private final long[] values = new long[COUNTERS.length];
        private final Map<String, Long> dropped = new TreeMap<>();
        private final Map<String, Long> refused = new TreeMap<>();
        private final Map<Integer, Long> latency = new TreeMap<>();

        public Builder set(Counter c, long v) {
            if (v < 0) {
                throw new IllegalArgumentException(c.json() + " must not be negative, was " + v);
            }
            values[c.ordinal()] = v;
            return this;
        }

        /** Adds {@code v} to {@code c} as a later part of the same series (counters add, gauges take the larger). */
        public Builder combine(Counter c, long v) {
            values[c.ordinal()] = c.overTime(values[c.ordinal()], v);
            return this;
        }

        /** Adds lines to a reason's count. */
        public Builder addReason(ReasonKind kind, String reason, long lines) {
            (kind == ReasonKind.DROPPED ? dropped : refused).merge(reason, lines, Long::sum);
            return this;
        }

        public Builder dropped(String reason, long lines) {
            dropped.put(reason, lines);
            return this;
        }

        public Builder refused(String reason, long lines) {
            refused.put(reason, lines);
            return this;
        }

        /** Adds lines to a latency bucket (in [0, {@link LatencyBuckets#BUCKETS})). */
        public Builder latency(int bucket, long lines) {
            LatencyBuckets.upperBound(bucket);
            if (lines < 0) {
                throw new IllegalArgumentException("latency bucket " + bucket + " must not be negative, was " + lines);
            }
            latency.merge(bucket, lines, Long::sum);
            return this;
        }

        public Counts build() {
            return new Counts(values.clone(), dropped, refused, LatencyBuckets.of(latency));
        }
    }
}
