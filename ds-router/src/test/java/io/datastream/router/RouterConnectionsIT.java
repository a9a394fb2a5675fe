package io.datastream.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datastream.embedded.logs.LogKind;
import io.datastream.protocol.ProtocolVersion;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.frame.BatchFrame;
import io.datastream.protocol.frame.Hello;
import io.datastream.protocol.frame.Welcome;
import io.datastream.router.sim.Http;
import io.datastream.router.sim.SourceStream;
import io.datastream.router.sim.WireClient;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /connections} on a real router's HTTP port: each agent connection with its agent id,
 * remote address, credential, state, batches and bytes in, credit and batches in flight. The
 * producer points at a closed port, so a batch for the {@code pending} task stays in flight.
 */
class RouterConnectionsIT {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String TOKEN_A = "token-of-agent-a-0123456789";
    private static final String SHARED = "shared-token-for-small-setups";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Router router;

    @BeforeAll
    static void start() throws Exception {
        router = Router.start(RouterConfig.fromYaml(ProtocolIT.config("""
                auth:
                  token: %s
                  agents:
                    - {name: web-a, token: %s, agentIds: ["agent-a"], tasks: ["*"]}
                """.formatted(SHARED, TOKEN_A))));
    }

    @AfterAll
    static void stop() {
        router.close();
    }

    private static WireClient welcomed(String agent, String host, String token) {
        WireClient c = WireClient.connect(router.port());
        c.send(new Hello(ProtocolVersion.MIN_SUPPORTED, ProtocolVersion.MAX_SUPPORTED, CodecType.supportedMask(), agent, host, token,
                "test", Map.of()));
        assertThat(c.read(WAIT)).isInstanceOf(Welcome.class);
        return c;
    }

    private static JsonNode connections() throws Exception {
        Http.Response r = Http.get(router.httpPort(), "/connections");
        assertThat(r.status()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void eachAgentConnectionIsListedWithItsIdentityAndCounts() throws Exception {
        long before = System.currentTimeMillis();
        try (WireClient a = welcomed("agent-a", "web-1", TOKEN_A);
             WireClient b = welcomed("agent-b", "db-1", SHARED);
             SourceStream s = new SourceStream(new BatchSource("pending", "agent-a", "web-1", "/log", 9L, Map.of()), CodecType.NONE,
                     LogKind.JAVA_APP, 3, 4096)) {
            ByteBuf batch = s.next(5).bytes();
            int size = batch.readableBytes();
            a.send(new BatchFrame(1, batch));
            batch.release();
            await().atMost(WAIT).until(() -> connections().path("items").get(0).path("inFlight").asInt() == 1);
            JsonNode list = connections();
            assertThat(list.path("total").asInt()).isEqualTo(2);
            assertThat(list.path("more").asInt()).isZero();
            assertThat(list.path("unread").asInt()).isZero();
            JsonNode first = list.path("items").get(0);
            assertThat(first.path("agentId").asText()).isEqualTo("agent-a");
            assertThat(first.path("host").asText()).isEqualTo("web-1");
            assertThat(first.path("remoteAddress").asText()).startsWith("127.0.0.1:");
            assertThat(first.path("credential").asText()).isEqualTo("web-a");
            assertThat(first.path("tls").asBoolean()).isFalse();
            assertThat(first.path("state").asText()).isEqualTo("OPEN");
            assertThat(first.path("openedAtMillis").asLong()).isBetween(before, System.currentTimeMillis());
            assertThat(first.path("batches").asLong()).isEqualTo(1);
            // the BATCH frame's body: its 8-byte batch id, then the batch
            assertThat(first.path("bytesIn").asLong()).isEqualTo(size + 8L);
            assertThat(first.path("bytesFinished").asLong()).isZero();
            assertThat(first.path("creditLimit").asLong()).isGreaterThanOrEqualTo(size);
            JsonNode second = list.path("items").get(1);
            assertThat(second.path("agentId").asText()).isEqualTo("agent-b");
            assertThat(second.path("credential").asText()).isEqualTo("shared-token");
            assertThat(second.path("batches").asLong()).isZero();
            assertThat(second.path("inFlight").asInt()).isZero();
        }
        await().atMost(WAIT).until(() -> connections().path("total").asInt() == 0);
        assertThat(connections().path("items").size()).isZero();
    }

    @Test
    void theListIsReadOnly() {
        assertThat(Http.get(router.httpPort(), "/connections?x=1").status()).isEqualTo(200);
        assertThat(post("/connections")).isEqualTo(405);
    }

    private static int post(String path) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + router.httpPort() + path)).POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                    .timeout(WAIT).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
