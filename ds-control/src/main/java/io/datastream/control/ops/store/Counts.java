package io.datastream.control.ops.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counts of one minute (or hour) of one series: a value per {@link Counter}, the name ->
 * lines maps of each {@link ReasonKind} (lines dropped by agents and refused by routers by reason,
 * HTTP events refused by reason and written by sink), and the sink's read-to-commit latencies
 * ({@link LatencyBuckets}). Immutable.
 */
public final class Counts {
    /** Longest reason name accepted. */
    public static final int MAX_REASON_LENGTH = 64;
    /** Most reasons per map. */
    public static final int MAX_REASONS = 32;

    private static final Counter[] COUNTERS = Counter.values();
    private static final ReasonKind[] KINDS = ReasonKind.values();
    private final long[] values;
    /** Per {@link ReasonKind#ordinal()}. */
    private final List<Map<String, Long>> reasons;
    private final LatencyBuckets latency;

    private Counts(long[] values, List<Map<String, Long>> reasons, LatencyBuckets latency) {
        this.values = values;
        this.reasons = reasons.stream().map(Map::copyOf).toList();
        this.latency = latency;
    }

    public static Counts zero() {
        return new Counts(new long[COUNTERS.length], Collections.nCopies(KINDS.length, Map.of()), LatencyBuckets.EMPTY);
    }

    public static Builder builder() {
        return new Builder();
    }

    public long get(Counter c) {
        return values[c.ordinal()];
    }

    public Map<String, Long> droppedByReason() {
        return reasons(ReasonKind.DROPPED);
    }

    public Map<String, Long> refusedByReason() {
        return reasons(ReasonKind.REFUSED);
    }

    /** The name -> lines map of a kind (empty when none). */
    public Map<String, Long> reasons(ReasonKind kind) {
        return reasons.get(kind.ordinal());
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
        List<Map<String, Long>> r = new ArrayList<>(KINDS.length);
        for (ReasonKind k : KINDS) {
            r.add(merge(reasons(k), later.reasons(k)));
        }
        return new Counts(v, r, latency.plus(later.latency));
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
        for (ReasonKind k : KINDS) {
            if (!reasons(k).isEmpty()) {
                m.put(k.json(), new TreeMap<>(reasons(k)));
            }
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
        return o instanceof Counts c && Arrays.equals(values, c.values) && reasons.equals(c.reasons) && latency.equals(c.latency);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values) * 31 + reasons.hashCode();
    }

    @Override
    public String toString() {
        return toJson().toString();
    }

    /** Builds counts; values must not be negative. */
    public static final class Builder {
        private final long[] values = new long[COUNTERS.length];
        private final List<Map<String, Long>> reasons = new ArrayList<>();
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

        Builder() {
            for (int i = 0; i < KINDS.length; i++) {
                reasons.add(new TreeMap<>());
            }
        }

        /** Adds lines to a reason's count. */
        public Builder addReason(ReasonKind kind, String reason, long lines) {
            reasons.get(kind.ordinal()).merge(reason, lines, Long::sum);
            return this;
        }

        /** Sets a reason's count. */
        public Builder reason(ReasonKind kind, String reason, long lines) {
            reasons.get(kind.ordinal()).put(reason, lines);
            return this;
        }

        public Builder dropped(String reason, long lines) {
            return reason(ReasonKind.DROPPED, reason, lines);
        }

        public Builder refused(String reason, long lines) {
            return reason(ReasonKind.REFUSED, reason, lines);
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
            return new Counts(values.clone(), reasons, LatencyBuckets.of(latency));
        }
    }
}
