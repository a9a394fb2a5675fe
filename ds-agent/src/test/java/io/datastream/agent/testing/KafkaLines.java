package io.datastream.agent.testing;

import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.envelope.Envelope;
import io.datastream.protocol.envelope.EnvelopeDeserializer;
import io.datastream.protocol.envelope.Line;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from the beginning with the protocol's envelope deserializer and records every
 * line with its identity in a {@link LineLedger}. Call {@link #poll()} repeatedly (from one thread).
 */
public final class KafkaLines implements AutoCloseable {
    private final KafkaConsumer<byte[], Envelope> consumer;
    private final LineLedger ledger = new LineLedger();
    private final CodecSet codecs = new CodecSet();
    private final AtomicLong corrupt = new AtomicLong();
    private final List<Envelope> envelopes = new ArrayList<>();
    private long records;

    public KafkaLines(String bootstrap, String topic) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20),
                new ByteArrayDeserializer(), new EnvelopeDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /** Reads what is there now; returns this for chaining in awaits. */
    public synchronized KafkaLines poll() {
        for (ConsumerRecord<byte[], Envelope> r : consumer.poll(Duration.ofMillis(200))) {
            records++;
            Envelope e = r.value();
            if (e.isCorrupt()) {
                corrupt.incrementAndGet();
                continue;
            }
            if (envelopes.size() < 100) {
                envelopes.add(e);
            }
            try {
                for (Line l : e.lines(codecs)) {
                    ledger.add(l.identity(), new String(l.content(), StandardCharsets.UTF_8));
                }
            } catch (Exception ex) {
                corrupt.incrementAndGet();
            }
        }
        return this;
    }

    public LineLedger ledger() {
        return ledger;
    }

    public long corrupt() {
        return corrupt.get();
    }

    public synchronized long records() {
        return records;
    }

    /** The first envelopes read (headers, for checks). */
    public synchronized List<Envelope> envelopes() {
        return new ArrayList<>(envelopes);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
        codecs.close();
    }
}
