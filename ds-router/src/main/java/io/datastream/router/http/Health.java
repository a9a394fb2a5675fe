package io.datastream.router.http;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The router's health as load balancers see it: healthy while it accepts agents; unhealthy while
 * draining, or when batches are pending and Kafka has acknowledged nothing for too long.
 */
public final class Health {
    /** The answer to GET /health. */
    public record Status(boolean healthy, String text) {
    }

    private final BooleanSupplier draining;
    private final LongSupplier stalledNanos;
    private final long maxStallNanos;
    private final Supplier<String> notes;

    /**
     * @param draining      whether the router drains
     * @param stalledNanos  how long batches have been pending without any Kafka acknowledgement (0 = not stalled)
     * @param maxStallNanos the stall after which the router is unhealthy
     */
    public Health(BooleanSupplier draining, LongSupplier stalledNanos, long maxStallNanos) {
        this(draining, stalledNanos, maxStallNanos, () -> "");
    }

    /**
     * @param notes what the health text adds without making the router unhealthy (repairs of
     *              file channels on open), or ""
     */
    public Health(BooleanSupplier draining, LongSupplier stalledNanos, long maxStallNanos, Supplier<String> notes) {
        this.notes = notes;
        this.draining = draining;
        this.stalledNanos = stalledNanos;
        this.maxStallNanos = maxStallNanos;
    }

    public Status check() {
        if (draining.getAsBoolean()) {
            return new Status(false, "draining");
        }
        long stalled = stalledNanos.getAsLong();
        if (stalled > maxStallNanos) {
            return new Status(false, "kafka: batches pending and no acknowledgement for " + stalled / 1_000_000_000L + " s");
        }
        String n = notes.get();
        return new Status(true, n.isEmpty() ? "ok" : "ok; " + n);
    }
}
