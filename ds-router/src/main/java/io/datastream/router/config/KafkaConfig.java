package io.datastream.router.config;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code kafka.*}: the producer.
 *
 * @param bootstrapServers  Kafka brokers (default localhost:9092)
 * @param partitioner       default partitioning strategy of routes: source, round-robin or load-aware
 * @param linesCompression  compression.type of the producer used by lines-mode routes (default lz4);
 *                          envelope-mode records are already compressed and are sent with none
 * @param loadAware         settings of the load-aware strategy
 * @param properties        extra producer properties (strings), applied last
 */
public record KafkaConfig(String bootstrapServers, String partitioner, String linesCompression, LoadAwareConfig loadAware,
                          Map<String, String> properties) {
    /** Producer properties the router owns: its guarantees depend on them. */
    public static final Set<String> FIXED_PROPERTIES = Set.of("acks", "enable.idempotence", "key.serializer", "value.serializer",
            "bootstrap.servers", "transactional.id", "compression.type");

    public KafkaConfig {
        bootstrapServers = bootstrapServers == null ? "localhost:9092" : bootstrapServers;
        partitioner = partitioner == null ? PartitionerKind.SOURCE.configName() : partitioner;
        linesCompression = linesCompression == null ? "lz4" : linesCompression.toLowerCase(Locale.ROOT);
        loadAware = loadAware == null ? new LoadAwareConfig(null, null) : loadAware;
        properties = properties == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    public PartitionerKind partitionerKind() {
        return PartitionerKind.fromConfig(partitioner);
    }

    public void validate(ConfigErrors e) {
        e.notBlank(bootstrapServers, "kafka.bootstrapServers");
        e.check(partitionerKind() != null, "kafka.partitioner", "must be source, round-robin or load-aware, was '" + partitioner + "'");
        e.check(Set.of("none", "gzip", "snappy", "lz4", "zstd").contains(linesCompression), "kafka.linesCompression",
                "must be none, gzip, snappy, lz4 or zstd, was '" + linesCompression + "'");
        loadAware.validate(e);
        for (Map.Entry<String, String> p : properties.entrySet()) {
            String key = "kafka.properties." + p.getKey();
            e.check(!FIXED_PROPERTIES.contains(p.getKey()), key, "is set by the router and cannot be overridden"
                    + (p.getKey().equals("bootstrap.servers") ? " (use kafka.bootstrapServers)" : ""));
            e.check(p.getValue() != null, key, "must have a value");
        }
    }

    /**
     * {@code kafka.loadAware.*}.
     *
     * @param slowFactor   a partition is avoided while its ack latency is above this many times the fastest one's
     * @param staleAfterMs a latency sample older than this no longer counts (the partition is tried again)
     */
    public record LoadAwareConfig(Double slowFactor, Long staleAfterMs) {
        public LoadAwareConfig {
            slowFactor = slowFactor == null ? 2.0 : slowFactor;
            staleAfterMs = staleAfterMs == null ? 10_000L : staleAfterMs;
        }

        public void validate(ConfigErrors e) {
            e.between(slowFactor, 1.0, 1000.0, "kafka.loadAware.slowFactor");
            e.between(staleAfterMs, 100, 3_600_000, "kafka.loadAware.staleAfterMs");
        }
    }
}
