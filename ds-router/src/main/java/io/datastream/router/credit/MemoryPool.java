package io.datastream.router.credit;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A byte budget shared by all connections: a batch reserves its real size when it is accepted
 * and releases it when Kafka has acknowledged it (or it failed). A reservation that does not fit
 * fails; nothing ever waits on the pool. Thread-safe (event loops reserve, producer callbacks
 * release via the event loops, close() waits for empty).
 */
public final class MemoryPool {
    private final long capacity;
    private final AtomicLong used = new AtomicLong();
    private final Object emptyLock = new Object();

    public MemoryPool(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0, was " + capacity);
        }
        this.capacity = capacity;
    }

    /** Reserves {@code bytes}; false (and nothing reserved) when they do not fit. */
    public boolean tryReserve(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, was " + bytes);
        }
        while (true) {
            long u = used.get();
            if (u + bytes > capacity) {
                return false;
            }
            if (used.compareAndSet(u, u + bytes)) {
                return true;
            }
        }
    }

    /** Returns a reservation made by {@link #tryReserve}. */
    public void release(long bytes) {
        long after = used.addAndGet(-bytes);
        if (after < 0) {
            throw new IllegalStateException("pool released more than was reserved: " + after);
        }
        if (after == 0) {
            synchronized (emptyLock) {
                emptyLock.notifyAll();
            }
        }
    }

    /** Waits until nothing is reserved; false on timeout. */
    public boolean awaitEmpty(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (emptyLock) {
            while (used.get() != 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(emptyLock, left);
            }
            return true;
        }
    }

    public long capacity() {
        return capacity;
    }

    public long used() {
        return used.get();
    }

    public long free() {
        return capacity - used.get();
    }

    /** Use in [0, 1]. */
    public double load() {
        return (double) used.get() / capacity;
    }
}
