package io.datastream.sink.dedup;

import java.util.Arrays;

/**
 * Byte ranges {@code [start, end)} appended in ascending order, merged as they touch: the new
 * lines of one batch, usually a single run. Reused by one operator for batch after batch.
 */
public final class RunList {
    private long[] bounds = new long[16];
    private int size;

    /** Appends {@code [start, end)}; {@code start} must not be below the previous start. */
    public void add(long start, long end) {
        if (size > 0 && start <= bounds[size - 1]) {
            if (start < bounds[size - 2]) {
                throw new IllegalArgumentException("runs must be added in order: " + start + " < " + bounds[size - 2]);
            }
            bounds[size - 1] = Math.max(bounds[size - 1], end);
            return;
        }
        if (size == bounds.length) {
            bounds = Arrays.copyOf(bounds, size * 2);
        }
        bounds[size++] = start;
        bounds[size++] = end;
    }

    public void clear() {
        size = 0;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Number of runs. */
    public int count() {
        return size / 2;
    }

    long start(int i) {
        return bounds[2 * i];
    }

    long end(int i) {
        return bounds[2 * i + 1];
    }
}
