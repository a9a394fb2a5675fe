package io.datastream.testkit.kafka;

import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.envelope.Envelope;
import io.datastream.protocol.envelope.EnvelopeDeserializer;
import io.datastream.protocol.envelope.Line;
import io.datastream.protocol.envelope.LineIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What one envelope-mode topic holds, read from the beginning to its current end: records,
 * lines, distinct line identities (a re-sent line appears twice in Kafka with one identity),
 * identities seen with two different contents, and corrupt records. The Kafka tier of an
 * end-to-end count reconciliation.
 *
 * @param records        Kafka records (envelopes)
 * @param corruptRecords records that are not valid envelopes or whose payload does not decode
 * @param lines          lines in valid envelopes, re-sends included
 * @param contents       the content of each distinct identity
 * @param conflicts      identities seen with two different contents (must be 0)
 * @param linesByReadMinute lines (re-sends included) per read minute: the epoch minute of their batch's first event
 *                       time, the key of the minute reports (docs/protocol.md, Minute reports)
 */
public record TopicTally(long records, long corruptRecords, long lines, Map<LineIdentity, String> contents,
                         long conflicts, Map<Long, Long> linesByReadMinute) {

    /** Distinct line identities. */
    public long distinctLines() {
        return contents.size();
    }

    /** Lines in Kafka more than once (re-sends after a failure). */
    public long resentLines() {
        return lines - contents.size();
    }

    /** Reads {@code topic} from the beginning up to the end offsets it has when called. */
    public static TopicTally read(String bootstrapServers, String topic, Duration timeout) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "ds-tally-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], Envelope> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new EnvelopeDeserializer());
             CodecSet codecs = new CodecSet()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            Map<LineIdentity, String> contents = new HashMap<>();
            long records = 0;
            long corrupt = 0;
            long lines = 0;
            long conflicts = 0;
            Map<Long, Long> byMinute = new java.util.TreeMap<>();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " did not reach its end offsets " + end
                            + " within " + timeout);
                }
                for (ConsumerRecord<byte[], Envelope> r : consumer.poll(Duration.ofMillis(200))) {
                    records++;
                    Envelope e = r.value();
                    if (e.isCorrupt()) {
                        corrupt++;
                        continue;
                    }
                    try {
                        List<Line> batchLines = e.lines(codecs);
                        byMinute.merge(Math.floorDiv(e.batch().firstEventTime(), 60_000L), (long) batchLines.size(), Long::sum);
                        for (Line l : batchLines) {
                            lines++;
                            String content = new String(l.content(), StandardCharsets.UTF_8);
                            String old = contents.putIfAbsent(l.identity(), content);
                            if (old != null && !old.equals(content)) {
                                conflicts++;
                            }
                        }
                    } catch (CorruptBatchException ex) {
                        corrupt++;
                    }
                }
            }
            return new TopicTally(records, corrupt, lines, contents, conflicts, byMinute);
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
