package io.datastream.bench.channel;

import io.datastream.embedded.kafka.EmbeddedKafka;
import io.datastream.protocol.codec.CodecType;
import io.datastream.router.channel.ChannelConsumer;
import io.datastream.router.channel.FsyncPolicy;
import io.datastream.router.channel.Incarnation;
import io.datastream.router.channel.PutResult;
import io.datastream.router.channel.StoredEvent;
import io.datastream.router.channel.filequeue.FileQueueChannel;
import io.datastream.router.event.Event;
import io.datastream.router.event.EventFormat;
import io.datastream.router.http.IntakeMetrics;
import io.datastream.router.kafka.BySourceStrategy;
import io.datastream.router.route.Fields;
import io.datastream.router.route.TopicTemplate;
import io.datastream.router.sink.EventIdentity;
import io.datastream.router.sink.KafkaSink;
import io.datastream.router.sink.ShapingKafkaSink;
import io.datastream.router.sink.Sink;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka write throughput of the router's Kafka sink with and without data shaping, on a real
 * broker (ds-embedded's {@link EmbeddedKafka}, KRaft, one node, in this JVM), beside a plain
 * {@link KafkaProducer} writing one record per event, all in the same run. The events are small
 * JSON events of several {@code logType}s, interleaved at random (fixed seed), put into a
 * file-queue channel first (not timed); then a sink drains the channel and the time until Kafka
 * acknowledged everything is measured. Two layouts: one topic for all, and a topic per logType
 * ({@code bench-{header.logType}}), where the unshaped sink can only pack consecutive events of
 * one logType.
 *
 * <pre>
 * java -Xmx2g -cp ds-bench/target/ds-bench.jar io.datastream.bench.channel.ShapingBench \
 *     --dir /var/tmp/shaping-bench --events 400000 --types 8 --rounds 2
 * </pre>
 */
public final class ShapingBench {
    private ShapingBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of("target/shaping-bench");
        int events = 400_000;
        int types = 8;
        int rounds = 2;
        int targetBytes = 256 << 10;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[i + 1]);
                case "--events" -> events = Integer.parseInt(args[i + 1]);
                case "--types" -> types = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--target-bytes" -> targetBytes = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        delete(dir);
        List<StoredEvent> data = events(events, types);
        long bytes = data.stream().mapToLong(e -> e.data().length).sum();
        System.out.printf("shaping: %d events of %d logTypes interleaved, %.1f MB of JSON (%.0f bytes/event), targetBytes %d, lz4%n",
                events, types, bytes / 1e6, (double) bytes / events, targetBytes);
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().logDir(dir.resolve("kafka")).defaultPartitions(4).build().start()) {
            int run = 0;
            for (int r = 1; r <= rounds; r++) {
                for (String layout : List.of("one topic", "topic per logType")) {
                    boolean perType = layout.startsWith("topic per");
                    String prefix = "r" + (++run);
                    List<String> topics = new ArrayList<>();
                    for (int t = 0; t < types; t++) {
                        topics.add(perType ? prefix + "-t" + t : prefix + "-all");
                    }
                    for (String t : topics.stream().distinct().toList()) {
                        kafka.createTopic(t, 4);
                        kafka.createTopic(t.replace(prefix + "-", prefix + "-plain-"), 4);
                    }
                    String template = perType ? prefix + "-{header.logType}" : prefix + "-all";
                    try (Producer<byte[], byte[]> producer = producer(kafka.bootstrapServers(), false)) {
                        double plain = plain(kafka.bootstrapServers(), data, types, perType ? prefix + "-plain-t" : null, prefix + "-plain-all");
                        double unshaped = sink(dir.resolve(prefix + "-u"), producer, data, template, null, targetBytes);
                        long unshapedRecords = records(kafka, topics);
                        double shaped = sink(dir.resolve(prefix + "-s"), producer, data, template, "logType", targetBytes);
                        long allRecords = records(kafka, topics);
                        print(r, layout, "plain producer, a record per event", plain, events, bytes, events);
                        print(r, layout, "sink, unshaped", unshaped, events, bytes, unshapedRecords);
                        print(r, layout, "sink, shaped by logType", shaped, events, bytes, allRecords - unshapedRecords);
                    }
                }
            }
        }
        delete(dir);
    }

    private static void print(int round, String layout, String what, double seconds, int events, long bytes, long records) {
        System.out.printf("round %d  %-17s %-36s %9.0f events/s %7.1f MB/s  %8d records (%.0f events/record)%n", round, layout, what,
                events / seconds, bytes / seconds / 1e6, records, (double) events / records);
    }

    private static List<StoredEvent> events(int count, int types) {
        Random random = new Random(16);
        List<StoredEvent> out = new ArrayList<>(count);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            b.setLength(0);
            b.append("{\"headers\":{\"logType\":\"t").append(random.nextInt(types)).append("\",\"host\":\"web-").append(random.nextInt(20))
                    .append("\"},\"body\":\"").append(i).append(" GET /api/v1/items/").append(random.nextInt(100_000))
                    .append(" status=").append(200 + random.nextInt(5)).append(" ms=").append(random.nextInt(900)).append(' ');
            int pad = 40 + random.nextInt(120);
            for (int j = 0; j < pad; j++) {
                b.append((char) ('a' + random.nextInt(26)));
            }
            b.append("\"}");
            byte[] d = b.toString().getBytes(StandardCharsets.UTF_8);
            out.add(new StoredEvent(d, d.length));
        }
        return out;
    }

    private static Producer<byte[], byte[]> producer(String bootstrap, boolean kafkaCompression) {
        Map<String, Object> p = new HashMap<>();
        // as the router's envelope producer (ProducerSettings): the sink's batches are compressed already
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "1048576");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(2 << 20));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(256L << 20));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, kafkaCompression ? "lz4" : "none");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /** A plain producer, one record per event (its JSON line), Kafka's lz4 compression; seconds until all acknowledged. */
    private static double plain(String bootstrap, List<StoredEvent> data, int types, String typePrefix, String allTopic) throws Exception {
        String[] topics = new String[types];
        for (int t = 0; t < types; t++) {
            topics[t] = typePrefix == null ? allTopic : typePrefix + t;
        }
        try (Producer<byte[], byte[]> p = producer(bootstrap, true)) {
            CountDownLatch done = new CountDownLatch(data.size());
            AtomicReference<Exception> failure = new AtomicReference<>();
            long start = System.nanoTime();
            for (StoredEvent e : data) {
                int type = typeOf(e.data());
                p.send(new ProducerRecord<>(topics[type], e.data()), (md, ex) -> {
                    if (ex != null) {
                        failure.compareAndSet(null, ex);
                    }
                    done.countDown();
                });
            }
            done.await();
            double s = (System.nanoTime() - start) / 1e9;
            if (failure.get() != null) {
                throw failure.get();
            }
            return s;
        }
    }

    /** The digit(s) after {@code "logType":"t"} at the start of an event. */
    private static int typeOf(byte[] json) {
        int i = "{\"headers\":{\"logType\":\"t".length();
        int n = 0;
        while (json[i] != '"') {
            n = n * 10 + json[i++] - '0';
        }
        return n;
    }

    /** Puts {@code data} into a fresh file channel (not timed), then times a Kafka sink draining it. */
    private static double sink(Path dir, Producer<byte[], byte[]> producer, List<StoredEvent> data, String template, String groupBy,
                               int targetBytes) throws Exception {
        FileQueueChannel.Settings s = new FileQueueChannel.Settings(dir, 4L << 30, 64 << 20, FsyncPolicy.NEVER, 1000, 1000);
        FileQueueChannel ch = FileQueueChannel.open("bench", EventFormat.JSON, s, Incarnation.next(),
                List.of(new FileQueueChannel.ConsumerSpec("k", false)));
        try {
            for (int i = 0; i < data.size(); i += 100) {
                List<StoredEvent> put = data.subList(i, Math.min(data.size(), i + 100));
                long cost = put.stream().mapToLong(StoredEvent::cost).sum();
                if (ch.reserve(cost) != PutResult.OK) {
                    throw new IllegalStateException("the channel is full");
                }
                ch.put(put, cost, () -> { });
            }
            ChannelConsumer consumer = ch.consumer("k");
            IntakeMetrics.SinkCounters counters = new IntakeMetrics(new PrometheusRegistry(), Map.of(), Map.of()).sink("k");
            TopicTemplate<Event> topic = TopicTemplate.compile(template, Fields.EVENT);
            EventIdentity.Sources sources = new EventIdentity.Sources("bench", "bench", "events", "localhost");
            long end = ch.endPosition();
            long start = System.nanoTime();
            Sink sink = groupBy == null
                    ? new KafkaSink("k", "bench", consumer, EventFormat.JSON, producer, topic, new BySourceStrategy(System::nanoTime), sources, CodecType.LZ4,
                    targetBytes, counters)
                    : new ShapingKafkaSink("k", "bench", consumer, EventFormat.JSON, producer, topic, new BySourceStrategy(System::nanoTime), sources, CodecType.LZ4,
                    new ShapingKafkaSink.Shape(groupBy, targetBytes, 200, 64L << 20, 256 << 10), 0, counters);
            sink.start();
            while (consumer.committedPosition() < end) {
                Thread.sleep(1);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            sink.close(Duration.ofSeconds(10));
            return seconds;
        } finally {
            ch.close();
            ch.shutdown();
            delete(dir);
        }
    }

    /** Records in {@code topics} now. */
    private static long records(EmbeddedKafka kafka, List<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> want = new HashMap<>();
        for (String t : topics.stream().distinct().toList()) {
            for (int p = 0; p < 4; p++) {
                want.put(new TopicPartition(t, p), OffsetSpec.latest());
            }
        }
        long n = 0;
        try (Admin admin = kafka.admin()) {
            for (ListOffsetsResult.ListOffsetsResultInfo i : admin.listOffsets(want).all().get().values()) {
                n += i.offset();
            }
        }
        return n;
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
