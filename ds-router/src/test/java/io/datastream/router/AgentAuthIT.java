package io.datastream.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.embedded.logs.LogKind;
import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.ProtocolVersion;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.frame.Ack;
import io.datastream.protocol.frame.AckStatus;
import io.datastream.protocol.frame.BatchFrame;
import io.datastream.protocol.frame.ErrorFrame;
import io.datastream.protocol.frame.Hello;
import io.datastream.protocol.frame.Welcome;
import io.datastream.router.sim.Http;
import io.datastream.router.sim.SourceStream;
import io.datastream.router.sim.WireClient;
import io.netty.buffer.ByteBuf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-agent credentials at the protocol edge of a real router: the HELLO's agent id and host are
 * bound to the credential, batches that claim another agent, a task or a topic outside the
 * credential, or an internal topic are refused with {@code REJECTED NOT_AUTHORIZED} before they
 * reach Kafka, and every refusal is counted by reason. (Kafka is not needed for refusals; the
 * real agent delivering through Kafka with a credential is {@code AgentIdentityIT} in ds-agent.)
 */
class AgentAuthIT {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String TOKEN_A = "token-of-agent-a-0123456789";
    private static final String SHARED = "shared-token-for-small-setups";
    private static Router router;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        Path tokenFile = dir.resolve("b.token");
        Files.writeString(tokenFile, "token-of-agent-b-from-a-file\n");
        router = Router.start(RouterConfig.fromYaml(ProtocolIT.config("""
                auth:
                  token: %s
                  agents:
                    - {name: web-a, token: %s, agentIds: ["agent-a"], hosts: ["web-*"], tasks: ["web-*"], topics: ["web-*"]}
                    - {name: b, tokenFile: %s, agentIds: ["agent-b*"], tasks: ["*"]}
                """.formatted(SHARED, TOKEN_A, tokenFile)).replace("routes:\n  - {task: pending, topic: never-acked}",
                "routes:\n  - {task: pending, topic: never-acked}\n  - {task: web-internal, topic: __consumer_offsets}")));
    }

    @AfterAll
    static void stop() {
        router.close();
    }

    private static Hello hello(String agent, String host, String token) {
        return new Hello(ProtocolVersion.MIN_SUPPORTED, ProtocolVersion.MAX_SUPPORTED, CodecType.supportedMask(), agent, host, token,
                "test", Map.of());
    }

    private static WireClient connect(String agent, String host, String token) {
        WireClient c = WireClient.connect(router.port());
        c.send(hello(agent, host, token));
        return c;
    }

    private static Ack send(WireClient c, String task, String agent, String host, String topic) {
        ByteBuf b;
        try (SourceStream s = new SourceStream(new BatchSource(task, agent, host, "/var/log/x.log", 7L, Map.of("ds.topic", topic)),
                CodecType.LZ4, LogKind.WEB_ACCESS, 1, 4096)) {
            b = s.next(5).bytes();
        }
        try {
            c.send(new BatchFrame(1, b));
        } finally {
            b.release();
        }
        return c.readUntil(Ack.class, WAIT);
    }

    private static double refusals(String reason) throws Exception {
        String body = Http.get(router.httpPort(), "/metrics").body();
        String prefix = "ds_router_auth_refusals_total{reason=\"" + reason + "\"} ";
        for (String line : body.split("\n")) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(prefix.length()));
            }
        }
        throw new AssertionError("no " + prefix + " in /metrics");
    }

    private static void refusedAtHello(WireClient c, String message) {
        assertThat(c.read(WAIT)).isInstanceOfSatisfying(ErrorFrame.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.AUTH_FAILED);
            assertThat(e.message()).isEqualTo(message);
        });
        assertThat(c.closedWithin(WAIT)).isTrue();
    }

    @Test
    void aCredentialCannotClaimAnotherAgentIdOrHost() throws Exception {
        double before = refusals("agent_id");
        try (WireClient c = connect("agent-b", "web-1", TOKEN_A)) {
            refusedAtHello(c, "credential 'web-a' may not claim agent id 'agent-b'");
        }
        try (WireClient c = connect("agent-a", "db-1", TOKEN_A)) {
            refusedAtHello(c, "credential 'web-a' may not claim host 'db-1'");
        }
        assertThat(refusals("agent_id")).isEqualTo(before + 2);
    }

    @Test
    void unknownAndMissingTokensAreRefused() throws Exception {
        double before = refusals("credential");
        try (WireClient c = connect("agent-a", "web-1", "not-a-token-anyone-has")) {
            refusedAtHello(c, "the auth token was refused");
        }
        try (WireClient c = connect("agent-a", "web-1", "")) {
            refusedAtHello(c, "this router requires an auth token");
        }
        assertThat(refusals("credential")).isEqualTo(before + 2);
    }

    @Test
    void batchesOutsideTheCredentialAreRejectedAndCounted() throws Exception {
        double agentBefore = refusals("batch_agent_id");
        double taskBefore = refusals("task");
        double topicBefore = refusals("topic");
        try (WireClient c = connect("agent-a", "web-1", TOKEN_A)) {
            assertThat(c.read(WAIT)).isInstanceOf(Welcome.class);
            Ack forged = send(c, "web-app", "agent-b", "web-1", "web-logs");
            assertThat(forged.status()).isEqualTo(AckStatus.REJECTED);
            assertThat(forged.error()).isEqualTo(ErrorCode.NOT_AUTHORIZED);
            assertThat(forged.message()).isEqualTo("the batch claims agent 'agent-b' on host 'web-1' but this connection is agent 'agent-a' on host 'web-1'");
            Ack otherHost = send(c, "web-app", "agent-a", "web-2", "web-logs");
            assertThat(otherHost.error()).isEqualTo(ErrorCode.NOT_AUTHORIZED);
            Ack task = send(c, "db-app", "agent-a", "web-1", "web-logs");
            assertThat(task.error()).isEqualTo(ErrorCode.NOT_AUTHORIZED);
            assertThat(task.message()).isEqualTo("credential 'web-a' may not write task 'db-app'");
            Ack topic = send(c, "web-app", "agent-a", "web-1", "payments");
            assertThat(topic.status()).isEqualTo(AckStatus.REJECTED);
            assertThat(topic.error()).isEqualTo(ErrorCode.NOT_AUTHORIZED);
            assertThat(topic.message()).isEqualTo("credential 'web-a' may not write topic 'payments'");
        }
        assertThat(refusals("batch_agent_id")).isEqualTo(agentBefore + 2);
        assertThat(refusals("task")).isEqualTo(taskBefore + 1);
        assertThat(refusals("topic")).isEqualTo(topicBefore + 1);
    }

    @Test
    void internalTopicsAreNeverWritableEvenWithTheSharedToken() throws Exception {
        double before = refusals("topic");
        try (WireClient c = connect("anyone", "any-host", SHARED)) {
            assertThat(c.read(WAIT)).isInstanceOf(Welcome.class);
            Ack ack = send(c, "web-internal", "anyone", "any-host", "x");
            assertThat(ack.error()).isEqualTo(ErrorCode.NOT_AUTHORIZED);
            assertThat(ack.message()).isEqualTo("internal topic '__consumer_offsets' is never writable");
        }
        assertThat(refusals("topic")).isEqualTo(before + 1);
    }

    @Test
    void aTokenFromAFileAndItsAgentIdGlobAreAccepted() {
        try (WireClient c = connect("agent-b7", "db-9", "token-of-agent-b-from-a-file")) {
            assertThat(c.read(WAIT)).isInstanceOf(Welcome.class);
        }
    }

    @Test
    void theSharedTokenStillWorksForAnyAgent() {
        try (WireClient c = connect("legacy-agent", "old-host", SHARED)) {
            assertThat(c.read(WAIT)).isInstanceOf(Welcome.class);
        }
    }
}
