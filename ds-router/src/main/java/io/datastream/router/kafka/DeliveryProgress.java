package io.datastream.router.kafka;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Whether Kafka makes progress: how long batches have been pending without any acknowledgement.
 * Shared by the senders; read by the health check.
 */
public final class DeliveryProgress {
    private final LongSupplier nanoClock;
    private final AtomicLong pending = new AtomicLong();
    private volatile long lastProgress;

    public DeliveryProgress(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.lastProgress = nanoClock.getAsLong();
    }

    void started() {
        if (pending.getAndIncrement() == 0) {
            lastProgress = nanoClock.getAsLong();
        }
    }

    void succeeded() {
        lastProgress = nanoClock.getAsLong();
    }

    void finished() {
        pending.decrementAndGet();
    }

    /** Nanoseconds since the last acknowledgement while batches are pending; 0 when none are. */
    public long stalledNanos() {
        return pending.get() == 0 ? 0 : Math.max(0, nanoClock.getAsLong() - lastProgress);
    }

    public long pending() {
        return pending.get();
    }
}
