package io.datastream.control.ops.store;

import java.util.Map;
import java.util.TreeMap;

/**
 * The read-to-commit latency histogram of a series point: lines per bucket, in the sink's fixed
 * log layout (docs/control.md, Reports: {@code latencyBuckets}): buckets 0 to 3 hold 0 to 3 ms,
 * above each power of two is split in four; {@link #BUCKETS} buckets. Histograms add up bucket by
 * bucket over sources and time, so the percentiles of a task, an hour or every task are those of
 * all their lines. Immutable.
 */
public final class LatencyBuckets {
    /** Buckets of the layout (ds-protocol's {@code LatencyHistogram.BUCKETS}). */
    public static final int BUCKETS = 160;
    static final LatencyBuckets EMPTY = new LatencyBuckets(Map.of());

    private final Map<Integer, Long> lines;

    private LatencyBuckets(Map<Integer, Long> lines) {
        this.lines = Map.copyOf(lines);
    }

    /** From bucket -> lines; buckets must be in [0, {@link #BUCKETS}). */
    public static LatencyBuckets of(Map<Integer, Long> lines) {
        for (int b : lines.keySet()) {
            upperBound(b);
        }
        return lines.isEmpty() ? EMPTY : new LatencyBuckets(new TreeMap<>(lines));
    }

    /** The largest latency (ms) a bucket holds. */
    public static long upperBound(int bucket) {
        if (bucket < 0 || bucket >= BUCKETS) {
            throw new IllegalArgumentException("latency bucket " + bucket + " not in [0, " + BUCKETS + ")");
        }
        if (bucket < 4) {
            return bucket;
        }
        int e = bucket / 4 + 1;
        return ((4L + bucket % 4) << (e - 2)) + (1L << (e - 2)) - 1;
    }

    /** bucket -> lines, the buckets in order. */
    public Map<Integer, Long> lines() {
        return new TreeMap<>(lines);
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    /** Lines measured. */
    public long count() {
        return lines.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Both histograms as one. */
    public LatencyBuckets plus(LatencyBuckets other) {
        if (other.isEmpty()) {
            return this;
        }
        Map<Integer, Long> m = new TreeMap<>(lines);
        other.lines.forEach((k, v) -> m.merge(k, v, Long::sum));
        return new LatencyBuckets(m);
    }

    /**
     * The latency (ms) at quantile {@code q}: the upper bound of the bucket holding the line of that
     * rank, never above {@code maxMs} (the exact largest, when known: not 0); 0 when empty.
     */
    public long percentile(double q, long maxMs) {
        long n = count();
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * n));
        long seen = 0;
        for (Map.Entry<Integer, Long> e : new TreeMap<>(lines).entrySet()) {
            seen += e.getValue();
            if (seen >= rank) {
                return maxMs > 0 ? Math.min(upperBound(e.getKey()), maxMs) : upperBound(e.getKey());
            }
        }
        return maxMs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatencyBuckets b && b.lines.equals(lines);
    }

    @Override
    public int hashCode() {
        return lines.hashCode();
    }
}
