package io.datastream.router.config;

import io.datastream.config.Doc;

/**
 * {@code heartbeat.*}: liveness of connections.
 */
public record HeartbeatConfig(
        @Doc("HEARTBEAT after this long without writing; announced in WELCOME")
        Integer intervalMs,
        @Doc("silence of this many intervals closes a connection (also the wait for HELLO)")
        Integer timeoutIntervals) {
    public HeartbeatConfig {
        intervalMs = intervalMs == null ? 5_000 : intervalMs;
        timeoutIntervals = timeoutIntervals == null ? 3 : timeoutIntervals;
    }

    public long timeoutMs() {
        return (long) intervalMs * timeoutIntervals;
    }

    public void validate(ConfigErrors e) {
        e.between(intervalMs, 100, 600_000, "heartbeat.intervalMs");
        e.between(timeoutIntervals, 2, 100, "heartbeat.timeoutIntervals");
    }
}
