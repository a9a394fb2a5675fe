package io.datastream.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.agent.Agent;
import io.datastream.agent.AgentConfig;
import io.datastream.agent.testing.KafkaLines;
import io.datastream.agent.testing.LogWriter;
import io.datastream.agent.testing.TestCluster;
import io.datastream.registry.member.TaskStatus;
import io.datastream.router.Router;
import io.datastream.testkit.tls.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-agent identities between the real agent, a real router and a real Kafka broker: an agent
 * with its own token (from a file) or its own client certificate delivers its task; an agent
 * claiming another agent id is refused at HELLO; a task whose topic is outside the credential
 * is parked with {@code NOT_AUTHORIZED} in its status, nothing of it reaches Kafka, and the
 * router counts the refusal.
 */
class AgentIdentityIT {
    private static final AtomicInteger N = new AtomicInteger();
    private static final String TOKEN = "web-7-token-0123456789abcdef";
    private static TestCluster cluster;
    private static Router router;
    private static TestPki ca;
    private static TestPki.Issued certAgent;

    @TempDir
    static Path shared;
    @TempDir
    Path dir;
    /** The log file of the agent started last. */
    private Path logFile;

    @BeforeAll
    static void start() throws Exception {
        cluster = new TestCluster();
        ca = TestPki.create(shared, "ca");
        TestPki.Issued routerCert = ca.issue("router", "localhost", "dns:localhost", "ip:127.0.0.1");
        certAgent = ca.issue("cert-agent", "cert-agent-1");
        router = cluster.router("ident-r", 0, """
                tls: {enabled: true, certFile: %s, keyFile: %s, clientCaFile: %s, clientAuth: optional}
                auth:
                  agents:
                    - {name: web-7, token: %s, agentIds: [web-7], hosts: [it-host], tasks: ["app*"], topics: ["ident-ok-*"]}
                    - {name: cert-agents, certificateCn: "cert-agent-*", tasks: [app], topics: ["ident-ok-*"]}
                """.formatted(routerCert.certFile(), routerCert.keyFile(), ca.caFile(), TOKEN));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private Agent agent(String id, String extraYaml, String task, String topic) throws Exception {
        Path run = dir.resolve("run-" + N.incrementAndGet());
        Files.createDirectories(run.resolve("logs"));
        logFile = run.resolve("logs").resolve("app.log");
        return Agent.start(AgentConfig.fromYaml(AgentYaml.base(id, run.resolve("data"), "\"127.0.0.1:" + router.port() + "\"")
                + "tls: {enabled: true, caFile: " + ca.caFile() + extraYaml + "}\n"
                + "tasks:\n" + AgentYaml.task(task, run.resolve("logs") + "/app.log", topic)));
    }

    private void delivers(String topic) throws Exception {
        try (LogWriter w = new LogWriter(logFile, "id"); KafkaLines k = cluster.lines(topic)) {
            List<String> lines = w.write(300);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(k.poll().ledger().missing(lines)).isEmpty());
            k.ledger().assertExactlyOnceAfterDedup(lines);
        }
    }

    private static double refusals(String reason) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.httpPort() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        String prefix = "ds_router_auth_refusals_total{reason=\"" + reason + "\"} ";
        return body.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
                .findFirst().orElseThrow();
    }

    @Test
    void anAgentWithItsOwnTokenFromAFileDelivers() throws Exception {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, TOKEN + "\n");
        try (Agent agent = agent("web-7", "}\nauth: {tokenFile: " + tokenFile + "", "app", "ident-ok-token")) {
            delivers("ident-ok-token");
        }
    }

    @Test
    void anAgentWithItsOwnCertificateDelivers() throws Exception {
        String cert = ", certFile: " + certAgent.certFile() + ", keyFile: " + certAgent.keyFile();
        try (Agent agent = agent("cert-agent-1", cert, "app", "ident-ok-cert")) {
            delivers("ident-ok-cert");
        }
    }

    @Test
    void anAgentClaimingAnotherIdIsRefused() throws Exception {
        double before = refusals("agent_id");
        try (Agent agent = agent("web-8", "}\nauth: {token: " + TOKEN + "", "app", "ident-ok-forged")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.routerError() != null);
            assertThat(agent.routerError()).isEqualTo("router 127.0.0.1:" + router.port()
                    + " closed the connection: AUTH_FAILED credential 'web-7' may not claim agent id 'web-8'");
        }
        String cert = ", certFile: " + certAgent.certFile() + ", keyFile: " + certAgent.keyFile();
        try (Agent agent = agent("web-7", cert, "app", "ident-ok-forged")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.routerError() != null);
            assertThat(agent.routerError()).endsWith("AUTH_FAILED credential 'cert-agents' may not claim agent id 'web-7'");
        }
        assertThat(refusals("agent_id")).isGreaterThanOrEqualTo(before + 2);
    }

    @Test
    void aTopicOutsideTheCredentialParksTheTaskAndIsCounted() throws Exception {
        double before = refusals("topic");
        try (Agent agent = agent("web-7", "}\nauth: {token: " + TOKEN + "", "app", "payments");
             LogWriter w = new LogWriter(logFile, "no"); KafkaLines k = cluster.lines("payments")) {
            w.write(100);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                TaskStatus st = agent.status().tasks().get("app");
                assertThat(st).isNotNull();
                assertThat(st.state()).isEqualTo("parked");
                assertThat(st.lastError()).contains("NOT_AUTHORIZED").contains("credential 'web-7' may not write topic 'payments'");
            });
            assertThat(agent.routerError()).isNull();
            assertThat(refusals("topic")).isGreaterThan(before);
            assertThat(k.poll().records()).isZero();
        }
    }

    @Test
    void aTaskOutsideTheCredentialParksTheTask() throws Exception {
        double before = refusals("task");
        try (Agent agent = agent("web-7", "}\nauth: {token: " + TOKEN + "", "db", "ident-ok-db")) {
            try (LogWriter w = new LogWriter(logFile, "no")) {
                w.write(10);
            }
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                TaskStatus st = agent.status().tasks().get("db");
                assertThat(st).isNotNull();
                assertThat(st.state()).isEqualTo("parked");
                assertThat(st.lastError()).contains("NOT_AUTHORIZED").contains("may not write task 'db'");
            });
        }
        assertThat(refusals("task")).isGreaterThan(before);
    }
}
