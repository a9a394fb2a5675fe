package io.datastream.router.sim;

import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.envelope.Envelope;
import io.datastream.protocol.envelope.EnvelopeDeserializer;
import io.datastream.protocol.envelope.Line;
import io.datastream.protocol.envelope.LineIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/** Reads a topic back from the beginning, for assertions. */
public final class KafkaRead {
    private KafkaRead() {
    }

    /** Every record of {@code topic} once {@code done} holds for them (or the timeout passes). */
    public static <V> List<ConsumerRecord<byte[], V>> records(String bootstrap, String topic, Deserializer<V> values,
                                                                Predicate<List<ConsumerRecord<byte[], V>>> done, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(16 << 20));
        List<ConsumerRecord<byte[], V>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], V> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), values)) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(out) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** The envelopes of {@code topic}, until {@code expected} records are there. */
    public static List<ConsumerRecord<byte[], Envelope>> envelopes(String bootstrap, String topic, int expected, Duration timeout) {
        return records(bootstrap, topic, new EnvelopeDeserializer(), l -> l.size() >= expected, timeout);
    }

    /** How often each line identity occurs in {@code records}. */
    public static Map<LineIdentity, Integer> lineCounts(List<ConsumerRecord<byte[], Envelope>> records) {
        Map<LineIdentity, Integer> counts = new HashMap<>();
        try (CodecSet codecs = new CodecSet()) {
            for (ConsumerRecord<byte[], Envelope> r : records) {
                if (r.value().isCorrupt()) {
                    throw new AssertionError("corrupt envelope at " + r.topic() + "/" + r.partition() + "@" + r.offset() + ": " + r.value().error());
                }
                for (Line l : r.value().lines(codecs)) {
                    counts.merge(l.identity(), 1, Integer::sum);
                }
            }
        } catch (io.datastream.protocol.CorruptBatchException e) {
            throw new AssertionError(e);
        }
        return counts;
    }
}
