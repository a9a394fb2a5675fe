package io.datastream.it.docker;

import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.envelope.Envelope;
import io.datastream.protocol.envelope.EnvelopeDeserializer;
import io.datastream.protocol.envelope.LineIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The Kafka tier of one topic, read from the broker's external listener: records (envelopes),
 * lines in them (re-sends included) and distinct line identities.
 *
 * @param records  envelopes in the topic
 * @param corrupt  records that are not valid envelopes
 * @param lines    lines in the valid envelopes, re-sent lines included
 * @param distinct distinct (agent, fingerprint, offset) identities
 */
record KafkaTally(long records, long corrupt, long lines, long distinct) {

    long resentLines() {
        return lines - distinct;
    }

    static KafkaTally read(String bootstrap, String topic) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        long records = 0;
        long corrupt = 0;
        long lines = 0;
        Set<LineIdentity> ids = new HashSet<>();
        try (KafkaConsumer<byte[], Envelope> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new EnvelopeDeserializer());
             CodecSet codecs = new CodecSet()) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                parts.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!caughtUp(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end offsets " + end);
                }
                for (ConsumerRecord<byte[], Envelope> r : consumer.poll(Duration.ofMillis(500))) {
                    records++;
                    Envelope e = r.value();
                    if (e == null || e.isCorrupt()) {
                        corrupt++;
                        continue;
                    }
                    try {
                        for (var line : e.lines(codecs)) {
                            lines++;
                            ids.add(line.identity());
                        }
                    } catch (CorruptBatchException ex) {
                        corrupt++;
                    }
                }
            }
        }
        return new KafkaTally(records, corrupt, lines, ids.size());
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
