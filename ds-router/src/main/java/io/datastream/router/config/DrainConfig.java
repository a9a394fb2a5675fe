package io.datastream.router.config;

/**
 * {@code drain.*}: graceful shutdown.
 *
 * @param timeoutMs how long close() waits for in-flight batches to be acknowledged by Kafka
 *                  before it closes the connections anyway (the agents re-send what was not acked)
 */
public record DrainConfig(Long timeoutMs) {
    public DrainConfig {
        timeoutMs = timeoutMs == null ? 30_000L : timeoutMs;
    }

    public void validate(ConfigErrors e) {
        e.between(timeoutMs, 0, 3_600_000, "drain.timeoutMs");
    }
}
