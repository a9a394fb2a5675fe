package io.datastream.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.ProtocolVersion;
import io.datastream.protocol.batch.BatchLayout;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.frame.Ack;
import io.datastream.protocol.frame.AckStatus;
import io.datastream.protocol.frame.BatchFrame;
import io.datastream.protocol.frame.Credit;
import io.datastream.protocol.frame.ErrorFrame;
import io.datastream.protocol.frame.Frame;
import io.datastream.protocol.frame.GoAway;
import io.datastream.protocol.frame.GoAwayReason;
import io.datastream.protocol.frame.Heartbeat;
import io.datastream.protocol.frame.Hello;
import io.datastream.protocol.frame.Welcome;
import io.datastream.router.sim.Http;
import io.datastream.router.sim.SimAgent;
import io.datastream.router.sim.SourceStream;
import io.datastream.router.sim.TestCerts;
import io.datastream.router.sim.WireClient;
import io.datastream.embedded.logs.LogKind;
import io.datastream.testkit.net.FreePorts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol edge of the router against a real router on loopback. No Kafka runs here: the
 * producer points at a closed port, so batches routed to a topic stay pending, which keeps
 * credit deterministic.
 */
class ProtocolIT {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static Router router;

    @BeforeAll
    static void start() {
        router = Router.start(RouterConfig.fromYaml(config("")));
    }

    static String config(String extra) {
        return """
                id: proto
                listen: {host: 127.0.0.1, port: 0}
                http: {host: 127.0.0.1, port: 0}
                heartbeat: {intervalMs: 500, timeoutIntervals: 3}
                limits: {maxBatchBytes: 65536, maxConnections: 20}
                pool: {capacityBytes: 16777216, maxWindowBytes: 65536}
                drain: {timeoutMs: 500}
                health: {kafkaStallMs: 1000}
                kafka:
                  bootstrapServers: "127.0.0.1:%d"
                  properties: {max.block.ms: "60000", delivery.timeout.ms: "120000"}
                routes:
                  - {task: pending, topic: never-acked}
                defaultRoute: {topic: ""}
                """.formatted(FreePorts.next()) + extra;
    }

    @AfterAll
    static void stop() {
        router.close();
    }

    private static WireClient welcomed(String agent) {
        WireClient c = WireClient.connect(router.port());
        c.send(WireClient.hello(agent, ""));
        assertThat(c.read(WAIT)).isInstanceOf(Welcome.class);
        return c;
    }

    private static ByteBuf smallBatch(String task, Map<String, String> headers) {
        try (SourceStream s = new SourceStream(new BatchSource(task, "a1", "h1", "/log", 7L, headers), CodecType.LZ4, LogKind.WEB_ACCESS, 1, 4096)) {
            return s.next(5).bytes();
        }
    }

    private static Ack sendAndAck(WireClient c, long id, ByteBuf batch) {
        try {
            c.send(new BatchFrame(id, batch));
        } finally {
            batch.release();
        }
        return c.readUntil(Ack.class, WAIT);
    }

    @Test
    void handshakeAnswersWelcomeWithCredit() {
        try (WireClient c = WireClient.connect(router.port())) {
            c.send(WireClient.hello("agent-1", ""));
            Welcome w = (Welcome) c.read(WAIT);
            assertThat(w.version()).isEqualTo(ProtocolVersion.MAX_SUPPORTED);
            assertThat(w.routerId()).isEqualTo("proto");
            assertThat(w.maxBatchBytes()).isEqualTo(65536);
            assertThat(w.creditLimit()).isGreaterThanOrEqualTo(w.maxBatchBytes());
            assertThat(w.heartbeatIntervalMs()).isEqualTo(500);
            assertThat(w.codecMask()).isEqualTo(CodecType.supportedMask());
            // the router keeps the connection alive with heartbeats
            assertThat(c.readUntil(Heartbeat.class, WAIT)).isNotNull();
        }
    }

    @Test
    void wrongTokenIsRefused() {
        try (Router secured = Router.start(RouterConfig.fromYaml(config("auth: {token: s3cret}\n").replace("id: proto", "id: secured")))) {
            try (WireClient bad = WireClient.connect(secured.port())) {
                bad.send(WireClient.hello("agent-1", "guess"));
                ErrorFrame e = (ErrorFrame) bad.read(WAIT);
                assertThat(e.code()).isEqualTo(ErrorCode.AUTH_FAILED);
                assertThat(e.message()).doesNotContain("s3cret");
                assertThat(bad.closedWithin(WAIT)).isTrue();
            }
            try (WireClient none = WireClient.connect(secured.port())) {
                none.send(WireClient.hello("agent-1", ""));
                assertThat(((ErrorFrame) none.read(WAIT)).code()).isEqualTo(ErrorCode.AUTH_FAILED);
            }
            try (WireClient good = WireClient.connect(secured.port())) {
                good.send(WireClient.hello("agent-1", "s3cret"));
                assertThat(good.read(WAIT)).isInstanceOf(Welcome.class);
            }
        }
    }

    @Test
    void versionMismatchIsUnsupportedVersion() {
        try (WireClient c = WireClient.connect(router.port())) {
            c.send(new Hello(ProtocolVersion.MAX_SUPPORTED + 1, ProtocolVersion.MAX_SUPPORTED + 3, CodecType.supportedMask(), "future", "h", "",
                    "9.0", Map.of()));
            ErrorFrame e = (ErrorFrame) c.read(WAIT);
            assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
            assertThat(c.closedWithin(WAIT)).isTrue();
        }
    }

    @Test
    void batchBeforeHelloIsAProtocolViolation() {
        try (WireClient c = WireClient.connect(router.port())) {
            c.send(new BatchFrame(1, Unpooled.wrappedBuffer(new byte[100])));
            assertThat(((ErrorFrame) c.read(WAIT)).code()).isEqualTo(ErrorCode.PROTOCOL_VIOLATION);
            assertThat(c.closedWithin(WAIT)).isTrue();
        }
    }

    @Test
    void routerToAgentFramesFromAnAgentAreViolations() {
        try (WireClient c = welcomed("confused")) {
            c.send(new Credit(5));
            assertThat(c.readUntil(ErrorFrame.class, WAIT).code()).isEqualTo(ErrorCode.PROTOCOL_VIOLATION);
            assertThat(c.closedWithin(WAIT)).isTrue();
        }
    }

    @Test
    void badBatchesGetAcksWithTheirCode() {
        try (WireClient c = welcomed("agent-bad-batches")) {
            Ack noRoute = sendAndAck(c, 1, smallBatch("unrouted", Map.of()));
            assertThat(noRoute.status()).isEqualTo(AckStatus.REJECTED);
            assertThat(noRoute.error()).isEqualTo(ErrorCode.NO_ROUTE);

            Ack badTopic = sendAndAck(c, 2, smallBatch("x", Map.of("ds.topic", "no spaces allowed")));
            assertThat(badTopic.error()).isEqualTo(ErrorCode.TOPIC_NOT_ALLOWED);

            ByteBuf flipped = smallBatch("unrouted", Map.of());
            int last = flipped.writerIndex() - 1;
            flipped.setByte(last, flipped.getByte(last) ^ 0x5A);
            Ack crc = sendAndAck(c, 3, flipped);
            assertThat(crc.status()).isEqualTo(AckStatus.RETRY_LATER); // retriable: the agent re-sends
            assertThat(crc.error()).isEqualTo(ErrorCode.CRC_MISMATCH);

            Ack corrupt = sendAndAck(c, 4, Unpooled.wrappedBuffer("not a batch at all".getBytes(StandardCharsets.UTF_8)));
            assertThat(corrupt.status()).isEqualTo(AckStatus.REJECTED);
            assertThat(corrupt.error()).isEqualTo(ErrorCode.CORRUPT_BATCH);

            ByteBuf wrongMagic = smallBatch("unrouted", Map.of());
            wrongMagic.setInt(BatchLayout.MAGIC_OFFSET, 0x01020304);
            assertThat(sendAndAck(c, 5, wrongMagic).error()).isEqualTo(ErrorCode.CORRUPT_BATCH);
        }
        assertThat(Http.metric(router.httpPort(), "ds_router_errors_total{code=\"NO_ROUTE\"}")).isGreaterThanOrEqualTo(1);
        assertThat(Http.metric(router.httpPort(), "ds_router_acks_total{status=\"REJECTED\"}")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void batchesBeyondCreditCloseTheConnection() {
        try (WireClient c = WireClient.connect(router.port());
             SourceStream s = new SourceStream(new BatchSource("pending", "a1", "h1", "/log", 9L, Map.of()), CodecType.NONE, LogKind.JAVA_APP, 3,
                     40 << 10)) {
            c.send(WireClient.hello("greedy", ""));
            Welcome w = (Welcome) c.read(WAIT);
            assertThat(w.creditLimit()).isEqualTo(65536);
            // the first batch is routed to a Kafka that never answers: its credit is not returned
            ByteBuf first = s.nextFull().bytes();
            ByteBuf second = s.nextFull().bytes();
            assertThat(first.readableBytes() + second.readableBytes() + 16).isGreaterThan(65536);
            c.send(new BatchFrame(1, first));
            await().atMost(WAIT).until(() -> router.poolUsedBytes() > 0);
            c.send(new BatchFrame(2, second));
            first.release();
            second.release();
            ErrorFrame e = c.readUntil(ErrorFrame.class, WAIT);
            assertThat(e.code()).isEqualTo(ErrorCode.NO_CREDIT);
            assertThat(c.closedWithin(WAIT)).isTrue();
        }
        // a batch is pending and Kafka acknowledged nothing for longer than health.kafkaStallMs
        await().atMost(WAIT).untilAsserted(() -> {
            Http.Response h = Http.get(router.httpPort(), "/health");
            assertThat(h.status()).isEqualTo(503);
            assertThat(h.body()).contains("kafka");
        });
        assertThat(router.poolUsedBytes()).isPositive();
    }

    @Test
    void garbageAndTruncatedFramesCloseOnlyTheirConnection() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (SimAgent bystander = new SimAgent(group, SimAgent.Options.of("bystander", router.port())).start()) {
            await().atMost(WAIT).until(bystander::isConnected);
            Random rnd = new Random(20240501L);
            for (int i = 0; i < 20; i++) {
                byte[] junk = new byte[1 + rnd.nextInt(2000)];
                rnd.nextBytes(junk);
                try (WireClient c = WireClient.connect(router.port())) {
                    c.sendRaw(junk);
                    Frame f = c.read(WAIT);
                    // a junk "frame" header may declare a length the router waits for (until the idle timeout)
                    assertThat(f).isInstanceOf(ErrorFrame.class);
                    assertThat(c.closedWithin(WAIT)).isTrue();
                }
            }
            expectError("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), ErrorCode.FRAME_TOO_LARGE);
            expectError(new byte[]{0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 0}, ErrorCode.FRAME_TOO_LARGE);
            expectError(new byte[]{0, 0, 0, 1, 1}, ErrorCode.MALFORMED_FRAME);
            expectError(new byte[]{0, 0, 0, 2, 0x66, 0}, ErrorCode.UNKNOWN_FRAME_TYPE);
            expectError(new byte[]{0, 0, 0, 6, 1, 0, 0x44, 0x53, 0x50, 0x31}, ErrorCode.MALFORMED_FRAME); // HELLO cut after its magic
            expectError(new byte[]{0, 0, 0, 10, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8}, ErrorCode.MALFORMED_FRAME); // bad magic: not a ds client
            expectError(new byte[]{0, 4, 0, 0, 1, 0}, ErrorCode.FRAME_TOO_LARGE); // a 256 KiB HELLO

            // a frame cut short by a client that goes away
            try (WireClient c = WireClient.connect(router.port())) {
                c.sendRaw(new byte[]{0, 0, 0, 100, 1, 0, 0x44, 0x53});
            }
            // a frame cut short by a client that stays: the idle timeout ends it
            try (WireClient c = WireClient.connect(router.port())) {
                c.sendRaw(new byte[]{0, 0, 0, 100, 1, 0, 0x44, 0x53});
                assertThat(((ErrorFrame) c.read(Duration.ofSeconds(10))).code()).isEqualTo(ErrorCode.IDLE_TIMEOUT);
            }
            // the bystander's connection went on all along (it sends heartbeats)
            bystander.submit(smallBatch("unrouted", Map.of()));
            await().atMost(WAIT).until(() -> bystander.rejections(ErrorCode.NO_ROUTE) == 1);
            assertThat(bystander.connections()).hasSize(1);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        // and the router still accepts new agents
        try (WireClient c = welcomed("after-garbage")) {
            assertThat(c).isNotNull();
        }
        assertThat(Http.get(router.httpPort(), "/metrics").status()).isEqualTo(200);
    }

    private static void expectError(byte[] bytes, ErrorCode code) {
        try (WireClient c = WireClient.connect(router.port())) {
            c.sendRaw(bytes);
            ErrorFrame e = (ErrorFrame) c.read(WAIT);
            assertThat(e.code()).as(e.message()).isEqualTo(code);
            assertThat(c.closedWithin(WAIT)).isTrue();
        }
    }

    @Test
    void silentConnectionsTimeOut() {
        try (WireClient noHello = WireClient.connect(router.port())) {
            assertThat(((ErrorFrame) noHello.read(Duration.ofSeconds(10))).code()).isEqualTo(ErrorCode.IDLE_TIMEOUT);
            assertThat(noHello.closedWithin(WAIT)).isTrue();
        }
        try (WireClient silent = welcomed("silent")) {
            assertThat(silent.readUntil(ErrorFrame.class, Duration.ofSeconds(10)).code()).isEqualTo(ErrorCode.IDLE_TIMEOUT);
        }
    }

    @Test
    void connectionsBeyondTheLimitAreRefused() {
        try (Router small = Router.start(RouterConfig.fromYaml(config("").replace("maxConnections: 20", "maxConnections: 2")
                .replace("id: proto", "id: small")))) {
            try (WireClient a = WireClient.connect(small.port()); WireClient b = WireClient.connect(small.port())) {
                a.send(WireClient.hello("a", ""));
                b.send(WireClient.hello("b", ""));
                assertThat(a.read(WAIT)).isInstanceOf(Welcome.class);
                assertThat(b.read(WAIT)).isInstanceOf(Welcome.class);
                try (WireClient c = WireClient.connect(small.port())) {
                    ErrorFrame e = (ErrorFrame) c.read(WAIT);
                    assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_CONNECTIONS);
                    assertThat(c.closedWithin(WAIT)).isTrue();
                }
                assertThat(Http.metric(small.httpPort(), "ds_router_connections")).isEqualTo(2);
            }
        }
    }

    @Test
    void closeDrainsWithGoAwayAndReportsUnhealthy() throws Exception {
        Router draining = Router.start(RouterConfig.fromYaml(config("").replace("id: proto", "id: draining")
                .replace("drain: {timeoutMs: 500}", "drain: {timeoutMs: 3000}")));
        try (WireClient c = WireClient.connect(draining.port());
             SourceStream s = new SourceStream(new BatchSource("pending", "a1", "h1", "/log", 9L, Map.of()), CodecType.LZ4, LogKind.JAVA_APP, 3,
                     8 << 10)) {
            c.send(WireClient.hello("drained", ""));
            assertThat(c.read(WAIT)).isInstanceOf(Welcome.class);
            ByteBuf pending = s.nextFull().bytes();
            c.send(new BatchFrame(1, pending));
            pending.release();
            await().atMost(WAIT).until(() -> draining.poolUsedBytes() > 0);
            java.util.concurrent.CompletableFuture<Void> closing = java.util.concurrent.CompletableFuture.runAsync(draining::close);
            GoAway g = c.readUntil(GoAway.class, WAIT);
            assertThat(g.reason()).isEqualTo(GoAwayReason.DRAIN);
            Http.Response h = Http.get(draining.httpPort(), "/health");
            assertThat(h.status()).isEqualTo(503);
            assertThat(h.body().trim()).isEqualTo("draining");
            // new agents are not accepted any more
            assertThat(draining.isDraining()).isTrue();
            // the batch Kafka never acknowledged is left to the agent: the connection closes after drain.timeoutMs
            assertThat(c.closedWithin(Duration.ofSeconds(10))).isTrue();
            closing.get(30, TimeUnit.SECONDS);
        } finally {
            draining.close();
        }
    }

    @Test
    void healthAndMetricsEndpoints() {
        try (Router fresh = Router.start(RouterConfig.fromYaml(config("").replace("id: proto", "id: fresh")))) {
            Http.Response h = Http.get(fresh.httpPort(), "/health");
            assertThat(h.status()).isEqualTo(200);
            assertThat(h.body().trim()).isEqualTo("ok");
            String metrics = Http.get(fresh.httpPort(), "/metrics").body();
            assertThat(metrics).contains("ds_router_connections ", "ds_router_pool_capacity_bytes 1.6777216E7", "ds_router_pool_used_bytes ",
                    "ds_router_credit_granted_bytes_total ", "ds_router_batches_in_total ", "ds_router_bytes_out_total ",
                    "ds_router_kafka_ack_latency_seconds_bucket", "ds_router_errors_total{code=\"NO_ROUTE\"}",
                    "ds_router_acks_total{status=\"OK\"}");
            assertThat(Http.get(fresh.httpPort(), "/nothing").status()).isEqualTo(404);
        }
    }

    @Test
    void tlsWithConfiguredCertificates(@TempDir Path dir) throws Exception {
        TestCerts certs = TestCerts.create(dir);
        String tls = "tls: {enabled: true, certFile: '%s', keyFile: '%s'}\n".formatted(certs.certFile(), certs.keyFile());
        try (Router secure = Router.start(RouterConfig.fromYaml(config(tls).replace("id: proto", "id: tls")))) {
            try (WireClient c = WireClient.connectTls(secure.port(), certs.socketFactory())) {
                c.send(WireClient.hello("tls-agent", ""));
                assertThat(c.read(WAIT)).isInstanceOf(Welcome.class);
                Ack ack = sendAndAck(c, 1, smallBatch("unrouted", Map.of()));
                assertThat(ack.error()).isEqualTo(ErrorCode.NO_ROUTE);
            }
            // a plaintext client gets one plaintext ERROR saying why, then the connection closes
            try (WireClient plain = WireClient.connect(secure.port())) {
                plain.send(WireClient.hello("plain", ""));
                assertThat(plain.read(WAIT)).isInstanceOfSatisfying(ErrorFrame.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_VIOLATION);
                    assertThat(e.message()).isEqualTo("this router requires TLS: set tls.enabled on the agent");
                });
                assertThat(plain.closedWithin(WAIT)).isTrue();
            }
            assertThat(Http.get(secure.httpPort(), "/metrics").body()).contains("ds_router_auth_refusals_total{reason=\"plaintext\"} 1.0");
        }
    }
}
