package io.datastream.sink.config;

import io.datastream.config.Checked;
import io.datastream.config.Doc;
import io.datastream.config.Problems;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code kafka.*}: where the envelopes come from. Exactly one of {@code topics} (non-empty) and
 * {@code topicPattern} is in effect.
 */
public record KafkaConfig(
        @Doc("Kafka bootstrap servers, comma-separated host:port")
        String bootstrapServers,
        @Doc("topics to read, e.g. `[ds-web, ds-app]`; when set, `kafka.topicPattern` must not be set. Only envelope-mode topics: "
                + "a lines-mode topic's records are all dead letters here")
        List<String> topics,
        @Doc(value = "Java regex of the topics to read when `kafka.topics` is empty; new matching topics are picked up at each partition "
                + "discovery", defaultText = "`ds-.*` (without `kafka.topics`)")
        String topicPattern,
        @Doc("consumer group; offsets are committed to it on every completed checkpoint (for lag monitoring and committed-* starts), "
                + "never used for exactly-once")
        String groupId,
        @Doc("where to start without a checkpoint; a restore from a checkpoint or savepoint always uses the offsets in it")
        StartingOffsets startingOffsets,
        @Doc("how often new partitions and topics matching the pattern are discovered; `0s` disables discovery")
        Duration partitionDiscoveryInterval,
        @Doc("true: stop at the latest offsets found at start (a backfill); the job then finishes after its final checkpoint")
        Boolean bounded,
        @Doc("extra Kafka consumer properties (security, fetch sizes...); `bootstrap.servers`, `group.id` and the deserializers are "
                + "set by the keys above and refused here")
        Map<String, String> properties) implements Serializable, Checked {
    /** Consumer properties that other keys own. */
    private static final Set<String> RESERVED = Set.of("bootstrap.servers", "group.id", "key.deserializer", "value.deserializer");

    public KafkaConfig {
        bootstrapServers = bootstrapServers == null ? "localhost:9092" : bootstrapServers.trim();
        topics = topics == null ? List.of() : List.copyOf(topics);
        topicPattern = topicPattern == null && topics.isEmpty() ? "ds-.*" : topicPattern;
        groupId = groupId == null ? "ds-flink-sink" : groupId.trim();
        startingOffsets = startingOffsets == null ? StartingOffsets.COMMITTED_OR_EARLIEST : startingOffsets;
        partitionDiscoveryInterval = partitionDiscoveryInterval == null ? Duration.ofMinutes(1) : partitionDiscoveryInterval;
        bounded = bounded != null && bounded;
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    @Override
    public void check(Problems p) {
        p.notBlank(bootstrapServers, "bootstrapServers");
        p.check(topics.stream().noneMatch(String::isBlank), "topics", "topic names must not be blank");
        p.check(topics.isEmpty() || topicPattern == null, "topics", "set kafka.topics or kafka.topicPattern, not both");
        if (topicPattern != null) {
            try {
                Pattern.compile(topicPattern);
            } catch (PatternSyntaxException e) {
                p.add("topicPattern", "not a valid regex: " + e.getDescription());
            }
        }
        p.notBlank(groupId, "groupId");
        p.check(!partitionDiscoveryInterval.isNegative(), "partitionDiscoveryInterval", "must be >= 0");
        for (String k : properties.keySet()) {
            p.check(!RESERVED.contains(k.toLowerCase(Locale.ROOT)), "properties", k + " is set by its own key, not here");
        }
    }
}
