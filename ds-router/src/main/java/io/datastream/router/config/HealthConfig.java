package io.datastream.router.config;

/**
 * {@code health.*}.
 *
 * @param kafkaStallMs GET /health answers 503 when batches are pending and Kafka has acknowledged
 *                     nothing for this long
 */
public record HealthConfig(Long kafkaStallMs) {
    public HealthConfig {
        kafkaStallMs = kafkaStallMs == null ? 60_000L : kafkaStallMs;
    }

    public void validate(ConfigErrors e) {
        e.between(kafkaStallMs, 1_000, 3_600_000, "health.kafkaStallMs");
    }
}
