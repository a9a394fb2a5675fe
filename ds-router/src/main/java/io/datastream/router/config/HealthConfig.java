package io.datastream.router.config;

import io.datastream.config.Doc;

/**
 * {@code health.*}.
 */
public record HealthConfig(
        @Doc("pending batches without any Kafka acknowledgement for this long: /health 503")
        Long kafkaStallMs) {
    public HealthConfig {
        kafkaStallMs = kafkaStallMs == null ? 60_000L : kafkaStallMs;
    }

    public void validate(ConfigErrors e) {
        e.between(kafkaStallMs, 1_000, 3_600_000, "health.kafkaStallMs");
    }
}
