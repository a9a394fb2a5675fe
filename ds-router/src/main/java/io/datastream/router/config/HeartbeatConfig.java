package io.datastream.router.config;

/**
 * {@code heartbeat.*}: liveness of connections.
 *
 * @param intervalMs       HEARTBEAT is sent after this long without writing (announced in WELCOME)
 * @param timeoutIntervals a connection that sends nothing for this many intervals is closed
 *                         (ERROR IDLE_TIMEOUT); the same bound applies to the wait for HELLO
 */
public record HeartbeatConfig(Integer intervalMs, Integer timeoutIntervals) {
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
