package io.datastream.router.config;

import io.datastream.config.Doc;

import java.util.HashSet;
import java.util.List;
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
        @Doc(value = "the record headers of lines mode, among `ds.task`, `ds.agent`, `ds.host`, `ds.path`, `ds.fingerprint`, `ds.offset`; "
                + "`ds.agent` and `ds.offset` are required (with the record key, task id and fingerprint, they are the line's identity); "
                + "each header costs the producer work per line ([Kafka](#kafka))",
                defaultText = "all six")
        List<String> linesHeaders,
        @Doc("settings of the `load-aware` strategy")
        LoadAwareConfig loadAware,
        @Doc("producer properties (strings), applied over the router's defaults; checked like the producer would, unknown names are errors")
        Map<String, String> properties) {
    /** Producer properties the router owns: its guarantees depend on them. */
    public static final Set<String> FIXED_PROPERTIES = Set.of("acks", "enable.idempotence", "key.serializer", "value.serializer",
            "bootstrap.servers", "transactional.id", "compression.type");

    /** Every header lines mode can write, in the order it writes them ({@code ds.offset} last). */
    public static final List<String> LINES_HEADERS = List.of("ds.task", "ds.agent", "ds.host", "ds.path", "ds.fingerprint", "ds.offset");
    /** The headers lines mode always writes: with the record key (task id, fingerprint) they identify the line. */
    public static final List<String> REQUIRED_LINES_HEADERS = List.of("ds.agent", "ds.offset");

    public KafkaConfig {
        bootstrapServers = bootstrapServers == null ? "localhost:9092" : bootstrapServers;
        partitioner = partitioner == null ? PartitionerKind.SOURCE.configName() : partitioner;
        linesCompression = linesCompression == null ? "lz4" : linesCompression.toLowerCase(Locale.ROOT);
        linesHeaders = linesHeaders == null ? LINES_HEADERS : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(linesHeaders));
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
        Set<String> seen = new HashSet<>();
        for (String h : linesHeaders) {
            e.check(h != null && LINES_HEADERS.contains(h), "kafka.linesHeaders", "must name headers among " + String.join(", ", LINES_HEADERS)
                    + ", was '" + h + "'");
            e.check(h == null || seen.add(h), "kafka.linesHeaders", "names '" + h + "' twice");
        }
        for (String h : REQUIRED_LINES_HEADERS) {
            e.check(linesHeaders.contains(h), "kafka.linesHeaders", "must include " + h
                    + " (the line's identity: ds.agent and ds.offset with the record key's task id and fingerprint)");
        }
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
