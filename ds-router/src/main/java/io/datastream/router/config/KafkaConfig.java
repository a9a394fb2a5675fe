package io.datastream.router.config;

import io.datastream.config.Doc;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code kafka.*}: the producer.
 */
public record KafkaConfig(
        @Doc("Kafka brokers")
        String bootstrapServers,
        @Doc("default strategy of routes: `source`, `round-robin`, `load-aware`")
        String partitioner,
        @Doc("`compression.type` of the lines-mode producer")
        String linesCompression,
        @Doc("settings of the `load-aware` strategy")
        LoadAwareConfig loadAware,
        @Doc("producer properties (strings), applied over the router's defaults; checked like the producer would, unknown names are errors")
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
     */
    public record LoadAwareConfig(
        @Doc("skip partitions whose leader is this many times slower than the fastest")
        Double slowFactor,
        @Doc("a latency sample older than this no longer counts")
        Long staleAfterMs) {
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
