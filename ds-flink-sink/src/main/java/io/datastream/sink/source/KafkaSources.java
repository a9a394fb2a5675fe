package io.datastream.sink.source;

import io.datastream.sink.config.KafkaConfig;
import java.util.regex.Pattern;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Builds the Kafka source of the job from its config. */
public final class KafkaSources {
    private KafkaSources() {
    }

    /**
     * A source of every record of the configured topics. Offsets live in Flink's checkpoints
     * (exactly once); they are also committed to the consumer group on each completed
     * checkpoint, for lag monitoring and for the committed-* starting modes.
     */
    public static KafkaSource<KafkaRecord> create(KafkaConfig cfg) {
        KafkaSourceBuilder<KafkaRecord> b = KafkaSource.<KafkaRecord>builder()
                .setBootstrapServers(cfg.bootstrapServers())
                .setGroupId(cfg.groupId())
                .setDeserializer(new KafkaRecordSchema())
                .setStartingOffsets(startingOffsets(cfg))
                .setClientIdPrefix(cfg.groupId());
        if (cfg.topics().isEmpty()) {
            b.setTopicPattern(Pattern.compile(cfg.topicPattern()));
        } else {
            b.setTopics(cfg.topics());
        }
        cfg.properties().forEach(b::setProperty);
        b.setProperty("partition.discovery.interval.ms", cfg.bounded() ? "-1"
                : String.valueOf(cfg.partitionDiscoveryInterval().isZero() ? -1 : cfg.partitionDiscoveryInterval().toMillis()));
        b.setProperty("commit.offsets.on.checkpoint", "true");
        if (cfg.bounded()) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    @SuppressWarnings("deprecation") // the connector's API still takes OffsetResetStrategy
    private static OffsetsInitializer startingOffsets(KafkaConfig cfg) {
        switch (cfg.startingOffsets()) {
            case EARLIEST:
                return OffsetsInitializer.earliest();
            case LATEST:
                return OffsetsInitializer.latest();
            case COMMITTED_OR_LATEST:
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.LATEST);
            case COMMITTED_OR_EARLIEST:
            default:
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        }
    }
}
