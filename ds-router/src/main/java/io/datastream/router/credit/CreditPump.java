package io.datastream.router.credit;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Retries credit grants that the pool could not cover when they were due. A connection whose
 * grant fell short (see {@link CreditPolicy}) and that has nothing in flight would otherwise get
 * no event to trigger its next grant. Every {@code period} the pump asks each such connection to
 * try again (on the connection's own thread); a connection that still falls short registers
 * again.
 */
public final class CreditPump implements AutoCloseable {
    /** A connection that can re-evaluate its credit; {@link #refill()} hops to its own thread. */
    public interface Refillable {
        void refill();
    }

    private final Set<Refillable> hungry = ConcurrentHashMap.newKeySet();
    private final MemoryPool pool;
    private final long minGrant;
    private final ScheduledFuture<?> task;

    /**
     * @param minGrant the pump waits while the pool has less than this free: such a grant would
     *                 not carry a batch anyway (and a full pool must not cost a task per connection)
     */
    public CreditPump(MemoryPool pool, long minGrant, ScheduledExecutorService scheduler, long periodMillis) {
        this.pool = pool;
        this.minGrant = minGrant;
        this.task = scheduler.scheduleWithFixedDelay(this::pump, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Registers a connection whose grant fell short. */
    public void hungry(Refillable r) {
        hungry.add(r);
    }

    public void forget(Refillable r) {
        hungry.remove(r);
    }

    private void pump() {
        if (pool.free() < minGrant) {
            return;
        }
        for (Refillable r : hungry) {
            hungry.remove(r);
            r.refill();
        }
    }

    /** Connections waiting for the pool now. */
    public int waiting() {
        return hungry.size();
    }

    @Override
    public void close() {
        task.cancel(false);
        hungry.clear();
    }
}
