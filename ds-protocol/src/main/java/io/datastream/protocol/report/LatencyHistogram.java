package io.datastream.protocol.report;

import java.util.Arrays;

/**
 * A bounded histogram of latencies in milliseconds, in {@link #BUCKETS} fixed log buckets, the
 * layout control's {@code latencyBuckets} uses (docs/control.md, Reports): values 0 to 3 have a
 * bucket each; above, each power of two is split in four, so a bucket's width is at most a quarter
 * of its lower bound and a percentile read from it is at most 25% high. Values above
 * {@link #MAX_MS} are counted in the last bucket. Histograms of the same layout merge by adding
 * bucket counts, which is how control adds up sources, subtasks and minutes.
 *
 * <p>Not thread-safe: the ledger changes one under its cell's lock.
 */
public final class LatencyHistogram {
    /** Buckets; the last holds {@link #MAX_MS}. */
    public static final int BUCKETS = 160;
    /** The largest value kept as it is (2^41 - 1 ms, about 70 years); larger ones count as this. */
    public static final long MAX_MS = (1L << 41) - 1;

    private final long[] counts = new long[BUCKETS];
    private long max;

    /** The bucket of a latency; negative values (clocks apart) count as 0. */
    public static int bucketOf(long ms) {
        long v = Math.min(Math.max(ms, 0), MAX_MS);
        if (v < 4) {
            return (int) v;
        }
        int e = 63 - Long.numberOfLeadingZeros(v);
        return 4 * (e - 1) + (int) ((v >> (e - 2)) & 3);
    }

    /** The largest value a bucket holds. */
    public static long upperBound(int bucket) {
        if (bucket < 0 || bucket >= BUCKETS) {
            throw new IllegalArgumentException("bucket " + bucket + " not in [0, " + BUCKETS + ")");
        }
        if (bucket < 4) {
            return bucket;
        }
        int e = bucket / 4 + 1;
        long lower = (4L + bucket % 4) << (e - 2);
        return lower + (1L << (e - 2)) - 1;
    }

    /** Records {@code n} latencies of {@code ms}. */
    public void record(long ms, long n) {
        if (n <= 0) {
            return;
        }
        counts[bucketOf(ms)] += n;
        max = Math.max(max, Math.min(Math.max(ms, 0), MAX_MS));
    }

    /** Adds another histogram's counts to this one. */
    public void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        max = Math.max(max, other.max);
    }

    /** Latencies recorded. */
    public long count() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /** The largest latency recorded, exact (0 when none). */
    public long max() {
        return max;
    }

    /** Latencies in a bucket. */
    public long count(int bucket) {
        return counts[bucket];
    }

    /** A copy. */
    public LatencyHistogram copy() {
        LatencyHistogram h = new LatencyHistogram();
        h.add(this);
        return h;
    }

    /**
     * The latency at quantile {@code q} (0 &lt; q &le; 1): the upper bound of the bucket holding the
     * value of that rank, never above {@link #max()}; 0 when empty.
     */
    public long percentile(double q) {
        long n = count();
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * n));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperBound(i), max);
            }
        }
        return max;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatencyHistogram h && h.max == max && Arrays.equals(h.counts, counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts) * 31 + Long.hashCode(max);
    }
}
