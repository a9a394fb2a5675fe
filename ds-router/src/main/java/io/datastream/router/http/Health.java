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
    private final Supplier<String> details;

    /**
     * @param draining      whether the router drains
     * @param stalledNanos  how long batches have been pending without any Kafka acknowledgement (0 = not stalled)
     * @param maxStallNanos the stall after which the router is unhealthy
     */
    public Health(BooleanSupplier draining, LongSupplier stalledNanos, long maxStallNanos) {
        this(draining, stalledNanos, maxStallNanos, () -> "", () -> "");
    }

    /**
     * @param notes what the health text adds without making the router unhealthy (repairs of
     *              file channels on open), or ""
     * @param details lines after the status line (the HTTP source's channels and sinks), or ""
     */
    public Health(BooleanSupplier draining, LongSupplier stalledNanos, long maxStallNanos, Supplier<String> notes, Supplier<String> details) {
        this.notes = notes;
        this.details = details;
        this.draining = draining;
        this.stalledNanos = stalledNanos;
        this.maxStallNanos = maxStallNanos;
    }

    /** The status line (what load balancers and the tests read first), then the detail lines. */
    public Status check() {
        Status s = status();
        String d = details.get();
        return d.isEmpty() ? s : new Status(s.healthy(), s.text() + "\n" + d.stripTrailing());
    }

    private Status status() {
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
