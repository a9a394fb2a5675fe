package io.datastream.sink.dedup;

/**
 * The byte ranges of one source file whose lines were already written: a sorted array of
 * disjoint, non-touching {@code [start, end)} ranges, stored in keyed state as
 * {@code long[]{start0, end0, start1, end1, ...}}. In the normal flow a file's lines arrive in
 * order and the set stays one range; gaps appear only while batches arrive out of order.
 * Immutable: {@link #union} returns a new array, so the state backend's copy-on-write
 * snapshots stay consistent.
 */
public final class DeliveredRanges {
    private static final long[] NONE = new long[0];

    private final long[] bounds;

    private DeliveredRanges(long[] bounds) {
        this.bounds = bounds;
    }

    /** Wraps a state value (null is the empty set). The array is not copied and must not be changed. */
    public static DeliveredRanges of(long[] bounds) {
        if (bounds != null && (bounds.length & 1) != 0) {
            throw new IllegalArgumentException("ranges array has odd length " + bounds.length);
        }
        return new DeliveredRanges(bounds == null ? NONE : bounds);
    }

    /** The state value (not a copy). */
    public long[] toArray() {
        return bounds;
    }

    /** Number of disjoint ranges. */
    public int size() {
        return bounds.length / 2;
    }

    public boolean isEmpty() {
        return bounds.length == 0;
    }

    /** Whether every byte of {@code [start, end)} was delivered: such a line is a duplicate. */
    public boolean covers(long start, long end) {
        int i = floor(start);
        return i >= 0 && end <= bounds[2 * i + 1];
    }

    /** Whether any byte of {@code [start, end)} was delivered. */
    public boolean intersects(long start, long end) {
        if (end <= start) {
            return covers(start, end);
        }
        int i = floor(end - 1);
        return i >= 0 && bounds[2 * i + 1] > start;
    }

    /** Index of the last range starting at or before {@code x}, or -1. */
    private int floor(long x) {
        int lo = 0;
        int hi = size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (bounds[2 * mid] <= x) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** The result of a {@link #union}: the new ranges and how many of the lowest were forgotten to stay in bounds. */
    public record Union(DeliveredRanges ranges, int evicted) {
    }

    /**
     * These ranges plus {@code runs}, merged where they overlap or touch. When more than
     * {@code maxRanges} disjoint ranges result, the lowest ones are forgotten: a later re-send of
     * those bytes would be written again, never lost.
     */
    public Union union(RunList runs, int maxRanges) {
        if (runs.isEmpty()) {
            return new Union(this, 0);
        }
        long[] out = new long[bounds.length + runs.count() * 2];
        int n = 0;
        int i = 0;
        int j = 0;
        int mine = size();
        int theirs = runs.count();
        while (i < mine || j < theirs) {
            long s;
            long e;
            if (j >= theirs || (i < mine && bounds[2 * i] <= runs.start(j))) {
                s = bounds[2 * i];
                e = bounds[2 * i + 1];
                i++;
            } else {
                s = runs.start(j);
                e = runs.end(j);
                j++;
            }
            if (n > 0 && s <= out[n - 1]) {
                out[n - 1] = Math.max(out[n - 1], e);
            } else {
                out[n++] = s;
                out[n++] = e;
            }
        }
        int count = n / 2;
        int evicted = Math.max(0, count - maxRanges);
        long[] result = new long[(count - evicted) * 2];
        System.arraycopy(out, evicted * 2, result, 0, result.length);
        return new Union(new DeliveredRanges(result), evicted);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('[').append(bounds[2 * i]).append(", ").append(bounds[2 * i + 1]).append(')');
        }
        return sb.append(']').toString();
    }
}
