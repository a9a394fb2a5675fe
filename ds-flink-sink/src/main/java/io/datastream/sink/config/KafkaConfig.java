package io.datastream.sink.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Where the envelopes come from. Exactly one of {@code topics} (non-empty) and
 * {@code topicPattern} (non-null) is set.
 */
public record KafkaConfig(String bootstrapServers, List<String> topics, String topicPattern, String groupId,
                          StartingOffsets startingOffsets, Duration partitionDiscoveryInterval, boolean bounded,
                          Map<String, String> properties) implements Serializable {

    /** Consumer properties that other keys own. */
    private static final Set<String> RESERVED = Set.of("bootstrap.servers", "group.id", "key.deserializer", "value.deserializer");

    public KafkaConfig {
        bootstrapServers = SinkConfigKey.KAFKA_BOOTSTRAP_SERVERS.requireText(bootstrapServers);
        topics = topics == null ? List.of() : List.copyOf(topics);
        for (String t : topics) {
            if (t == null || t.isBlank()) {
                throw new ConfigException(SinkConfigKey.KAFKA_TOPICS.key(), "topic names must not be blank");
            }
        }
        if (topics.isEmpty() == (topicPattern == null)) {
            throw new ConfigException(SinkConfigKey.KAFKA_TOPICS.key(),
                    topics.isEmpty() ? "set kafka.topics or kafka.topicPattern" : "set kafka.topics or kafka.topicPattern, not both");
        }
        if (topicPattern != null) {
            try {
                Pattern.compile(topicPattern);
            } catch (PatternSyntaxException e) {
                throw new ConfigException(SinkConfigKey.KAFKA_TOPIC_PATTERN.key(), "not a valid regex: " + e.getDescription(), e);
            }
        }
        groupId = SinkConfigKey.KAFKA_GROUP_ID.requireText(groupId);
        if (startingOffsets == null) {
            throw new ConfigException(SinkConfigKey.KAFKA_STARTING_OFFSETS.key(), "must be set");
        }
        if (partitionDiscoveryInterval == null || partitionDiscoveryInterval.isNegative()) {
            throw new ConfigException(SinkConfigKey.KAFKA_PARTITION_DISCOVERY_INTERVAL.key(), "must be >= 0");
        }
        properties = properties == null ? Map.of() : Map.copyOf(properties);
        for (String k : properties.keySet()) {
            if (RESERVED.contains(k.toLowerCase(Locale.ROOT))) {
                throw new ConfigException(SinkConfigKey.KAFKA_PROPERTIES.key(), k + " is set by its own key, not here");
            }
        }
    }
}
