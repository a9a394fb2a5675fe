package io.datastream.sink.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * YAML to {@link SinkConfig}: every key of {@link SinkConfigKey} is read with its type, unknown
 * keys are rejected with their full dotted path, and the records validate the values.
 */
final class SinkConfigLoader {
    /** The key used in errors about the document itself. */
    static final String DOCUMENT = "(yaml)";

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private final Map<SinkConfigKey, JsonNode> values = new EnumMap<>(SinkConfigKey.class);

    private SinkConfigLoader() {
    }

    static SinkConfig load(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    static SinkConfig parse(String yaml) {
        JsonNode root;
        try {
            root = yaml == null || yaml.isBlank() ? null : YAML.readTree(yaml);
        } catch (JacksonException e) {
            throw new ConfigException(DOCUMENT, "not valid YAML: " + e.getOriginalMessage(), e);
        }
        SinkConfigLoader l = new SinkConfigLoader();
        if (root != null && !root.isNull() && !root.isMissingNode()) {
            if (!root.isObject()) {
                throw new ConfigException(DOCUMENT, "the top level must be a mapping of sections (kafka, output, deadLetter, dedup, job)");
            }
            l.collect(root, "");
        }
        return l.build();
    }

    private void collect(JsonNode node, String prefix) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            SinkConfigKey key = SinkConfigKey.of(path);
            if (key != null) {
                if (!e.getValue().isNull()) {
                    values.put(key, e.getValue());
                }
            } else if (isSection(path)) {
                if (e.getValue().isNull()) {
                    continue;
                }
                if (!e.getValue().isObject()) {
                    throw new ConfigException(path, "is a section: expected a mapping of keys");
                }
                collect(e.getValue(), path);
            } else {
                throw new ConfigException(path, "unknown key" + suggestions(prefix));
            }
        }
    }

    private static boolean isSection(String path) {
        for (SinkConfigKey k : SinkConfigKey.values()) {
            if (k.key().startsWith(path + ".")) {
                return true;
            }
        }
        return false;
    }

    private static String suggestions(String prefix) {
        List<String> known = new ArrayList<>();
        for (SinkConfigKey k : SinkConfigKey.values()) {
            if (prefix.isEmpty()) {
                String section = k.key().substring(0, k.key().indexOf('.'));
                if (!known.contains(section)) {
                    known.add(section);
                }
            } else if (k.key().startsWith(prefix + ".")) {
                known.add(k.key());
            }
        }
        return " (known here: " + String.join(", ", known) + ")";
    }

    private SinkConfig build() {
        List<String> topics = list(SinkConfigKey.KAFKA_TOPICS);
        String pattern = null;
        if (topics.isEmpty()) {
            pattern = text(SinkConfigKey.KAFKA_TOPIC_PATTERN);
        } else if (values.containsKey(SinkConfigKey.KAFKA_TOPIC_PATTERN)) {
            throw new ConfigException(SinkConfigKey.KAFKA_TOPICS.key(), "set kafka.topics or kafka.topicPattern, not both");
        }
        KafkaConfig kafka = new KafkaConfig(
                text(SinkConfigKey.KAFKA_BOOTSTRAP_SERVERS),
                topics,
                pattern,
                text(SinkConfigKey.KAFKA_GROUP_ID),
                enumValue(SinkConfigKey.KAFKA_STARTING_OFFSETS, StartingOffsets.class),
                ConfigValues.parseDuration(SinkConfigKey.KAFKA_PARTITION_DISCOVERY_INTERVAL.key(), text(SinkConfigKey.KAFKA_PARTITION_DISCOVERY_INTERVAL)),
                ConfigValues.parseBoolean(SinkConfigKey.KAFKA_BOUNDED.key(), text(SinkConfigKey.KAFKA_BOUNDED)),
                map(SinkConfigKey.KAFKA_PROPERTIES));

        Compression compression = enumValue(SinkConfigKey.OUTPUT_COMPRESSION, Compression.class);
        String level = text(SinkConfigKey.OUTPUT_COMPRESSION_LEVEL);
        OutputConfig output = new OutputConfig(
                text(SinkConfigKey.OUTPUT_PATH),
                compression,
                level == null ? compression.defaultLevel() : ConfigValues.parseInt(SinkConfigKey.OUTPUT_COMPRESSION_LEVEL.key(), level),
                enumValue(SinkConfigKey.OUTPUT_FORMAT, LineFormat.class),
                text(SinkConfigKey.OUTPUT_BUCKET_PATTERN),
                zone(SinkConfigKey.OUTPUT_TIME_ZONE),
                ConfigValues.parseSize(SinkConfigKey.OUTPUT_MAX_PART_SIZE.key(), text(SinkConfigKey.OUTPUT_MAX_PART_SIZE)),
                text(SinkConfigKey.OUTPUT_PART_PREFIX));

        DeadLetterConfig deadLetter = new DeadLetterConfig(text(SinkConfigKey.DEAD_LETTER_PATH));
        DedupConfig dedup = new DedupConfig(
                ConfigValues.parseDuration(SinkConfigKey.DEDUP_TTL.key(), text(SinkConfigKey.DEDUP_TTL)),
                ConfigValues.parseInt(SinkConfigKey.DEDUP_MAX_RANGES_PER_FILE.key(), text(SinkConfigKey.DEDUP_MAX_RANGES_PER_FILE)),
                ConfigValues.parseDuration(SinkConfigKey.DEDUP_EVENT_ID_TTL.key(), text(SinkConfigKey.DEDUP_EVENT_ID_TTL)));
        JobConfig job = new JobConfig(
                text(SinkConfigKey.JOB_NAME),
                ConfigValues.parseInt(SinkConfigKey.JOB_PARALLELISM.key(), text(SinkConfigKey.JOB_PARALLELISM)),
                ConfigValues.parseDuration(SinkConfigKey.JOB_CHECKPOINT_INTERVAL.key(), text(SinkConfigKey.JOB_CHECKPOINT_INTERVAL)),
                text(SinkConfigKey.JOB_CHECKPOINT_DIR));
        return new SinkConfig(kafka, output, deadLetter, dedup, job);
    }

    /** The scalar text of a key, its default when absent, or null. */
    private String text(SinkConfigKey key) {
        JsonNode n = values.get(key);
        if (n == null) {
            return key.defaultValue();
        }
        if (!n.isValueNode()) {
            throw new ConfigException(key.key(), "expected a single " + key.type().name().toLowerCase(java.util.Locale.ROOT) + " value, got a " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return n.asText();
    }

    private <E extends Enum<E>> E enumValue(SinkConfigKey key, Class<E> type) {
        return ConfigValues.parseEnum(key.key(), text(key), type);
    }

    private ZoneId zone(SinkConfigKey key) {
        String t = text(key);
        try {
            return ZoneId.of(t.trim());
        } catch (DateTimeException e) {
            throw new ConfigException(key.key(), "unknown time zone '" + t + "'");
        }
    }

    private List<String> list(SinkConfigKey key) {
        JsonNode n = values.get(key);
        List<String> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (n.isValueNode()) {
            out.add(n.asText());
            return out;
        }
        if (!n.isArray()) {
            throw new ConfigException(key.key(), "expected a list of strings");
        }
        for (JsonNode item : n) {
            if (!item.isValueNode() || item.isNull()) {
                throw new ConfigException(key.key(), "expected a list of strings, found " + item.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            out.add(item.asText());
        }
        return out;
    }

    private Map<String, String> map(SinkConfigKey key) {
        JsonNode n = values.get(key);
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null) {
            return out;
        }
        if (!n.isObject()) {
            throw new ConfigException(key.key(), "expected a mapping of property names to values");
        }
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new ConfigException(key.key() + "." + e.getKey(), "expected a single value");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }
}
