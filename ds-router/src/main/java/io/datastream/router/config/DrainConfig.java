package io.datastream.router.config;

import io.datastream.config.Doc;

/**
 * {@code drain.*}: graceful shutdown.
 */
public record DrainConfig(
        @Doc("how long `close()` waits for in-flight batches")
        Long timeoutMs) {
    public DrainConfig {
        timeoutMs = timeoutMs == null ? 30_000L : timeoutMs;
    }

    public void validate(ConfigErrors e) {
        e.between(timeoutMs, 0, 3_600_000, "drain.timeoutMs");
    }
}
