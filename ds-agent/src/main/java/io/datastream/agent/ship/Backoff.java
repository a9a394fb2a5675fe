package io.datastream.agent.ship;

import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: none for the first attempt after a working connection (fail over at once),
 * then exponential from the initial delay up to the maximum, each with full jitter in
 * [50%, 100%] so that agents do not reconnect in lockstep.
 */
final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private final DoubleSupplier random;
    private int attempts;

    Backoff(long initialMs, long maxMs, DoubleSupplier random) {
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.random = random;
    }

    /** The delay before the next attempt; each call counts one more failure. */
    long next() {
        int n = attempts++;
        if (n == 0) {
            return 0;
        }
        long base = initialMs << Math.min(n - 1, 30);
        if (base <= 0 || base > maxMs) {
            base = maxMs;
        }
        return (long) (base * (0.5 + 0.5 * random.getAsDouble()));
    }

    /** A connection worked: the next failure fails over at once. */
    void reset() {
        attempts = 0;
    }

    int attempts() {
        return attempts;
    }
}
