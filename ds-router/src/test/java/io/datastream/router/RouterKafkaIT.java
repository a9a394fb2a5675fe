package io.datastream.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.batch.BatchLayout;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.envelope.Envelope;
import io.datastream.protocol.envelope.LineIdentity;
import io.datastream.router.kafka.LineHeaders;
import io.datastream.router.sim.Http;
import io.datastream.router.sim.KafkaRead;
import io.datastream.router.sim.SimAgent;
import io.datastream.router.sim.SourceStream;
import io.datastream.router.sim.TestCerts;
import io.datastream.embedded.kafka.EmbeddedKafka;
import io.datastream.embedded.logs.LogKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batches from simulated agents through a real router into a real Kafka broker (KRaft), read back. */
class RouterKafkaIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static EmbeddedKafka kafka;
    private static Router router;
    private static EventLoopGroup group;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.builder().build().start();
        try (var admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic("ds-app", 4, (short) 1), new NewTopic("rr-out", 4, (short) 1),
                    new NewTopic("la-out", 4, (short) 1), new NewTopic("lines-out", 2, (short) 1),
                    new NewTopic("tiny", 1, (short) 1).configs(Map.of("max.message.bytes", "1000")))).all().get();
        }
        router = Router.start(RouterConfig.fromYaml(config("kafka-it", "")));
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    private static String config(String id, String extra) {
        return """
                id: %s
                listen: {host: 127.0.0.1, port: 0}
                http: {host: 127.0.0.1, port: 0}
                drain: {timeoutMs: 5000}
                kafka:
                  bootstrapServers: "%s"
                  properties: {linger.ms: "2"}
                routes:
                  - when: 'header.logType == "jvm" && host =~ "^host-"'
                    topic: logs-jvm
                  - task: nginx
                    topic: logs-{task}
                  - task: lines-task
                    topic: lines-out
                    mode: lines
                  - task: rr-task
                    topic: rr-out
                    partitioner: round-robin
                  - task: la-task
                    topic: la-out
                    partitioner: load-aware
                  - task: tiny
                    topic: tiny
                defaultRoute: {topic: "ds-{task}"}
                """.formatted(id, kafka.bootstrapServers()) + extra;
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** What was sent: each batch's bytes by (fingerprint, first offset), and every line identity. */
    private record Sent(Map<String, byte[]> batches, Set<LineIdentity> lines) {
        Sent() {
            this(new HashMap<>(), new HashSet<>());
        }
    }

    private static void send(SimAgent agent, SourceStream stream, int batches, int linesPerBatch, Sent sent) {
        for (int i = 0; i < batches; i++) {
            SourceStream.Built b = stream.next(linesPerBatch);
            sent.batches().put(stream.source().fingerprint() + "@" + b.lines().get(0).offset(), ByteBufUtil.getBytes(b.bytes()));
            sent.lines().addAll(b.lines());
            agent.submit(b.bytes());
        }
    }

    private static SourceStream stream(String task, String agent, long fingerprint, Map<String, String> headers) {
        return new SourceStream(new BatchSource(task, agent, "host-" + agent, "/var/log/" + task + "-" + fingerprint + ".log", fingerprint, headers),
                CodecType.ZSTD, LogKind.JAVA_APP, fingerprint, 64 << 10);
    }

    @Test
    void envelopesArriveExactlyAsSentAndInOrderPerFile() throws Exception {
        Sent sent = new Sent();
        List<SimAgent> agents = new ArrayList<>();
        for (int a = 0; a < 3; a++) {
            SimAgent agent = new SimAgent(group, SimAgent.Options.of("env-agent-" + a, router.port())).start();
            agents.add(agent);
            for (int f = 0; f < 2; f++) {
                try (SourceStream s = stream("app", "env-agent-" + a, 1000L + a * 10 + f, Map.of())) {
                    send(agent, s, 15, 200, sent);
                }
            }
        }
        for (SimAgent agent : agents) {
            await().atMost(WAIT).until(() -> agent.pending() == 0);
            assertThat(agent.acked()).isEqualTo(30);
            agent.close();
        }
        List<ConsumerRecord<byte[], Envelope>> records = KafkaRead.envelopes(kafka.bootstrapServers(), "ds-app", 90, WAIT);
        assertThat(records).hasSize(90);
        Map<LineIdentity, Integer> counts = KafkaRead.lineCounts(records);
        assertThat(counts.keySet()).isEqualTo(sent.lines());
        assertThat(counts.values()).allMatch(n -> n == 1);

        Map<Long, Integer> partitionOfFile = new HashMap<>();
        Map<Long, Long> lastOffsetOfFile = new HashMap<>();
        for (ConsumerRecord<byte[], Envelope> r : records) {
            var batch = r.value().batch();
            // the value is the agent's batch, byte for byte: not re-compressed
            assertThat(r.value().raw()).isEqualTo(sent.batches().get(batch.fingerprint() + "@" + batch.startOffset()));
            // key = task id + fingerprint; partition = Kafka's default for that key
            byte[] task = "app".getBytes(StandardCharsets.UTF_8);
            assertThat(r.key()).isEqualTo(ByteBuffer.allocate(task.length + 8).put(task).putLong(batch.fingerprint()).array());
            assertThat(r.partition()).isEqualTo(BuiltInPartitioner.partitionForKey(r.key(), 4));
            Integer p = partitionOfFile.putIfAbsent(batch.fingerprint(), r.partition());
            assertThat(p == null || p == r.partition()).isTrue();
        }
        // within its partition, a file's batches are in offset order
        records.stream().sorted((x, y) -> Long.compare(x.offset(), y.offset())).forEach(r -> {
            long fp = r.value().batch().fingerprint();
            long prev = lastOffsetOfFile.getOrDefault(fp, -1L);
            assertThat(r.value().batch().startOffset()).isGreaterThan(prev);
            lastOffsetOfFile.put(fp, r.value().batch().startOffset());
        });
        assertThat(Http.metric(router.httpPort(), "ds_router_batches_out_total")).isGreaterThanOrEqualTo(90);
        assertThat(Http.metric(router.httpPort(), "ds_router_acks_total{status=\"OK\"}")).isGreaterThanOrEqualTo(90);
        assertThat(Http.metric(router.httpPort(), "ds_router_kafka_ack_latency_seconds_count")).isGreaterThanOrEqualTo(90);
        assertThat(router.poolUsedBytes()).isZero();
    }

    @Test
    void rulesHeadersAndTheDefaultRouteChooseTheTopic() {
        SimAgent agent = new SimAgent(group, SimAgent.Options.of("route-agent", router.port())).start();
        Sent jvm = new Sent();
        Sent nginx = new Sent();
        Sent fromHeader = new Sent();
        Sent fallback = new Sent();
        try (SourceStream a = stream("app", "route-agent", 1, Map.of("logType", "jvm"));
             SourceStream b = stream("nginx", "route-agent", 2, Map.of("logType", "access"));
             SourceStream c = stream("billing", "route-agent", 3, Map.of("ds.topic", "billing-events"));
             SourceStream d = stream("audit", "route-agent", 4, Map.of())) {
            send(agent, a, 3, 50, jvm);
            send(agent, b, 3, 50, nginx);
            send(agent, c, 3, 50, fromHeader);
            send(agent, d, 3, 50, fallback);
        }
        await().atMost(WAIT).until(() -> agent.pending() == 0);
        assertThat(agent.acked()).isEqualTo(12);
        agent.close();
        assertLines("logs-jvm", jvm);
        assertLines("logs-nginx", nginx);
        assertLines("billing-events", fromHeader);
        assertLines("ds-audit", fallback);
    }

    private static void assertLines(String topic, Sent sent) {
        List<ConsumerRecord<byte[], Envelope>> records = KafkaRead.envelopes(kafka.bootstrapServers(), topic, sent.batches().size(), WAIT);
        assertThat(KafkaRead.lineCounts(records).keySet()).as(topic).isEqualTo(sent.lines());
    }

    @Test
    void linesModeWritesOneRecordPerLineWithItsIdentity() throws Exception {
        Map<Long, byte[]> contentByOffset = new HashMap<>();
        List<ConsumerRecord<byte[], byte[]>> records = sendLines(router, "lines-agent", 77, "lines-out", contentByOffset);
        for (ConsumerRecord<byte[], byte[]> r : records) {
            assertThat(header(r, LineHeaders.TASK)).isEqualTo("lines-task");
            assertThat(header(r, LineHeaders.AGENT)).isEqualTo("lines-agent");
            assertThat(header(r, LineHeaders.HOST)).isEqualTo("host-lines-agent");
            assertThat(header(r, LineHeaders.PATH)).isEqualTo("/var/log/lines-task-77.log");
            assertThat(header(r, LineHeaders.FINGERPRINT)).isEqualTo("000000000000004d");
            assertThat(r.value()).isEqualTo(contentByOffset.get(Long.parseLong(header(r, LineHeaders.OFFSET))));
        }
    }

    /** {@code kafka.linesHeaders}: only the headers named, in the documented order; the key still holds task id and fingerprint. */
    @Test
    void linesModeWritesOnlyTheHeadersConfigured() throws Exception {
        try (var admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic("lines-few", 2, (short) 1))).all().get();
        }
        String yaml = config("kafka-it-few", "")
                .replace("  properties: {linger.ms: \"2\"}", "  linesHeaders: [ds.offset, ds.agent]\n  properties: {linger.ms: \"2\"}")
                .replace("topic: lines-out", "topic: lines-few");
        assertThat(yaml).contains("linesHeaders", "lines-few");
        try (Router few = Router.start(RouterConfig.fromYaml(yaml))) {
            Map<Long, byte[]> contentByOffset = new HashMap<>();
            List<ConsumerRecord<byte[], byte[]>> records = sendLines(few, "lines-few-agent", 78, "lines-few", contentByOffset);
            byte[] task = "lines-task".getBytes(StandardCharsets.UTF_8);
            for (ConsumerRecord<byte[], byte[]> r : records) {
                assertThat(r.headers().toArray()).extracting(Header::key).containsExactly(LineHeaders.AGENT, LineHeaders.OFFSET);
                assertThat(header(r, LineHeaders.AGENT)).isEqualTo("lines-few-agent");
                assertThat(r.key()).isEqualTo(ByteBuffer.allocate(task.length + 8).put(task).putLong(78).array());
                assertThat(r.value()).isEqualTo(contentByOffset.get(Long.parseLong(header(r, LineHeaders.OFFSET))));
            }
        }
    }

    /**
     * Sends 4 batches of 100 lines of task lines-task from one simulated agent through {@code via},
     * waits for their ACKs, and returns the topic's records: one per line, each offset once.
     */
    private List<ConsumerRecord<byte[], byte[]>> sendLines(Router via, String agentId, long fingerprint, String topic,
                                                          Map<Long, byte[]> contentByOffset) throws Exception {
        SimAgent agent = new SimAgent(group, SimAgent.Options.of(agentId, via.port())).start();
        Sent sent = new Sent();
        try (SourceStream s = stream("lines-task", agentId, fingerprint, Map.of())) {
            for (int i = 0; i < 4; i++) {
                SourceStream.Built b = s.next(100);
                sent.lines().addAll(b.lines());
                try (io.datastream.protocol.codec.CodecSet codecs = new io.datastream.protocol.codec.CodecSet()) {
                    for (var line : Envelope.parse(ByteBufUtil.getBytes(b.bytes())).lines(codecs)) {
                        contentByOffset.put(line.offset(), line.content());
                    }
                }
                agent.submit(b.bytes());
            }
        }
        await().atMost(WAIT).until(() -> agent.pending() == 0);
        assertThat(agent.acked()).isEqualTo(4);
        agent.close();
        List<ConsumerRecord<byte[], byte[]>> records = KafkaRead.records(kafka.bootstrapServers(), topic, new ByteArrayDeserializer(),
                l -> l.size() >= sent.lines().size(), WAIT);
        assertThat(records).hasSize(sent.lines().size());
        Set<Long> offsets = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            assertThat(offsets.add(Long.parseLong(header(r, LineHeaders.OFFSET)))).isTrue();
        }
        assertThat(offsets).containsExactlyInAnyOrderElementsOf(sent.lines().stream().map(LineIdentity::offset).toList());
        return records;
    }

    @Test
    void linesModeRejectsABatchWhosePayloadDoesNotDecompress() {
        SimAgent agent = new SimAgent(group, SimAgent.Options.of("lines-corrupt-agent", router.port())).start();
        try (SourceStream s = stream("lines-task", "lines-corrupt-agent", 78, Map.of())) {
            ByteBuf b = s.next(50).bytes();
            // zero the zstd frame's magic, then give the batch a matching CRC: intake accepts it
            // (envelope checks only), and the sender finds the payload corrupt when it decodes it
            int payload = b.readerIndex() + b.getUnsignedShort(b.readerIndex() + BatchLayout.HEADER_LENGTH_OFFSET);
            b.setInt(payload, 0);
            CRC32C crc = new CRC32C();
            crc.update(b.nioBuffer(b.readerIndex() + BatchLayout.CRC_START, b.readableBytes() - BatchLayout.CRC_START));
            b.setInt(b.readerIndex() + BatchLayout.CRC_OFFSET, (int) crc.getValue());
            agent.submit(b);
        }
        await().atMost(WAIT).until(() -> agent.pending() == 0);
        assertThat(agent.rejections(ErrorCode.CORRUPT_BATCH)).isEqualTo(1);
        assertThat(agent.acked()).isZero();
        agent.close();
    }

    private static String header(ConsumerRecord<?, ?> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void roundRobinSpreadsOneFileOverEveryPartition() {
        assertSpread("rr-task", "rr-out");
    }

    @Test
    void loadAwareSpreadsOverPartitionsOfHealthyLeaders() {
        assertSpread("la-task", "la-out");
    }

    private static void assertSpread(String task, String topic) {
        SimAgent agent = new SimAgent(group, SimAgent.Options.of(task + "-agent", router.port())).start();
        Sent sent = new Sent();
        try (SourceStream s = stream(task, task + "-agent", 5, Map.of())) {
            send(agent, s, 16, 20, sent);
        }
        await().atMost(WAIT).until(() -> agent.pending() == 0);
        agent.close();
        List<ConsumerRecord<byte[], Envelope>> records = KafkaRead.envelopes(kafka.bootstrapServers(), topic, 16, WAIT);
        assertThat(KafkaRead.lineCounts(records).keySet()).isEqualTo(sent.lines());
        // one file, yet every partition got some of it
        assertThat(records.stream().map(ConsumerRecord::partition).distinct()).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void recordsKafkaRefusesAsTooLargeAreRejected() {
        SimAgent agent = new SimAgent(group, SimAgent.Options.of("tiny-agent", router.port())).start();
        try (SourceStream s = stream("tiny", "tiny-agent", 9, Map.of())) {
            agent.submit(s.next(200).bytes());
        }
        await().atMost(WAIT).until(() -> agent.pending() == 0);
        assertThat(agent.rejections(ErrorCode.RECORD_TOO_LARGE)).isEqualTo(1);
        agent.close();
        assertThat(Http.metric(router.httpPort(), "ds_router_errors_total{code=\"RECORD_TOO_LARGE\"}")).isEqualTo(1);
    }

    @Test
    void agentsOverTlsReachKafka(@TempDir Path dir) throws Exception {
        TestCerts certs = TestCerts.create(dir);
        String tls = "tls: {enabled: true, certFile: '%s', keyFile: '%s'}\n".formatted(certs.certFile(), certs.keyFile());
        try (Router secure = Router.start(RouterConfig.fromYaml(config("kafka-it-tls", tls)))) {
            SimAgent agent = new SimAgent(group, SimAgent.Options.of("tls-agent", secure.port()).withSsl(certs.clientContext())).start();
            Sent sent = new Sent();
            try (SourceStream s = stream("tls-task", "tls-agent", 11, Map.of())) {
                send(agent, s, 3, 50, sent);
            }
            await().atMost(WAIT).until(() -> agent.pending() == 0);
            assertThat(agent.acked()).isEqualTo(3);
            agent.close();
            assertLines("ds-tls-task", sent);
        }
    }
}
