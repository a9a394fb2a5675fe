package io.datastream.router.source.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The router-wide bound on request bodies in memory ({@code httpSource.limits.maxInFlightBodyBytes}):
 * decompressed bytes of requests being read, and of whole requests waiting to be parsed, over all
 * connections. Thread-safe (every event loop reserves and releases).
 */
final class BodyBudget {
    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    BodyBudget(long capacity) {
        this.capacity = capacity;
    }

    /** Takes {@code n} bytes; false, taking nothing, when that would pass the capacity. */
    boolean tryReserve(long n) {
        while (true) {
            long u = used.get();
            if (u + n > capacity) {
                return false;
            }
            if (used.compareAndSet(u, u + n)) {
                return true;
            }
        }
    }

    void release(long n) {
        used.addAndGet(-n);
    }

    long used() {
        return used.get();
    }
}
