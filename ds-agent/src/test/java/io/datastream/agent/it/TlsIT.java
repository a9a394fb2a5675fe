package io.datastream.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.agent.Agent;
import io.datastream.agent.AgentConfig;
import io.datastream.agent.testing.KafkaLines;
import io.datastream.agent.testing.LogWriter;
import io.datastream.agent.testing.TestCluster;
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
 * The real agent and router over TLS and mutual TLS with certificates made in the test: lines
 * arrive in Kafka; a wrong CA, a certificate for another name, a missing client certificate, a
 * plaintext agent on a TLS port and a TLS agent on a plaintext port are refused, each with one
 * line saying why ({@link Agent#routerError()}), and nothing is delivered.
 */
class TlsIT {
    private static final AtomicInteger N = new AtomicInteger();
    private static TestCluster cluster;
    private static TestPki ca;
    private static TestPki otherCa;
    private static TestPki.Issued routerCert;
    private static TestPki.Issued agentCert;
    private static TestPki.Issued strangerCert;

    @TempDir
    static Path certs;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        cluster = new TestCluster();
        ca = TestPki.create(certs, "ca");
        otherCa = TestPki.create(certs, "other-ca");
        routerCert = ca.issue("router", "localhost", "dns:localhost", "ip:127.0.0.1");
        agentCert = ca.issue("agent", "tls-agent");
        strangerCert = otherCa.issue("stranger", "tls-agent");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Router tlsRouter(String extra) {
        return cluster.router("tls-r" + N.incrementAndGet(), 0, "tls: {enabled: true, certFile: " + routerCert.certFile()
                + ", keyFile: " + routerCert.keyFile() + extra + "}\n");
    }

    private static Agent agent(Path run, Router router, String tlsYaml, String topic) {
        return Agent.start(AgentConfig.fromYaml(AgentYaml.base("tls-agent", run.resolve("data"), "\"127.0.0.1:" + router.port() + "\"")
                + tlsYaml + "tasks:\n" + AgentYaml.task("app", run.resolve("logs") + "/app.log", topic)));
    }

    /** A fresh directory for one agent run (its logs and data). */
    private Path run() throws Exception {
        Path run = dir.resolve("run-" + N.incrementAndGet());
        Files.createDirectories(run.resolve("logs"));
        return run;
    }

    private void delivers(Router router, String tlsYaml) throws Exception {
        String topic = "tls-" + N.incrementAndGet();
        Path run = run();
        try (LogWriter w = new LogWriter(run.resolve("logs").resolve("app.log"), "tls"); KafkaLines k = cluster.lines(topic);
             Agent agent = agent(run, router, tlsYaml, topic)) {
            List<String> lines = w.write(500);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(k.poll().ledger().missing(lines)).isEmpty());
            k.ledger().assertExactlyOnceAfterDedup(lines);
            assertThat(agent.routerError()).isNull();
        }
    }

    /** Starts an agent that must be refused; returns its one-line error once it has one. Nothing reaches Kafka. */
    private String refused(Router router, String tlsYaml) throws Exception {
        String topic = "tls-refused-" + N.incrementAndGet();
        Path run = run();
        try (LogWriter w = new LogWriter(run.resolve("logs").resolve("app.log"), "no"); KafkaLines k = cluster.lines(topic);
             Agent agent = agent(run, router, tlsYaml, topic)) {
            w.write(50);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> agent.routerError() != null
                    && !agent.routerError().startsWith("cannot connect"));
            String error = agent.routerError();
            assertThat(error).doesNotContain("\n");
            assertThat(agent.status().router()).isNull();
            assertThat(k.poll().records()).isZero();
            return error;
        }
    }

    private static String metrics(Router router) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.httpPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void deliversOverTlsWithTheCaFile() throws Exception {
        Router router = tlsRouter("");
        delivers(router, "tls: {enabled: true, caFile: " + ca.caFile() + "}\n");
    }

    @Test
    void deliversOverMutualTls() throws Exception {
        Router router = tlsRouter(", clientCaFile: " + ca.caFile());
        delivers(router, "tls: {enabled: true, caFile: " + ca.caFile() + ", certFile: " + agentCert.certFile()
                + ", keyFile: " + agentCert.keyFile() + "}\n");
    }

    @Test
    void aRouterCertificateFromAnotherCaIsRefused() throws Exception {
        Router router = tlsRouter("");
        String error = refused(router, "tls: {enabled: true, caFile: " + otherCa.caFile() + "}\n");
        assertThat(error).startsWith("TLS handshake with router 127.0.0.1:" + router.port() + " failed: ")
                .contains("not signed by a CA in tls.caFile");
    }

    @Test
    void theRouterCertificateMustNameTheAddressUnlessServerNameIsSet() throws Exception {
        TestPki.Issued elsewhere = ca.issue("elsewhere", "router.example", "dns:router.example");
        Router router = cluster.router("tls-r" + N.incrementAndGet(), 0, "tls: {enabled: true, certFile: " + elsewhere.certFile()
                + ", keyFile: " + elsewhere.keyFile() + "}\n");
        String error = refused(router, "tls: {enabled: true, caFile: " + ca.caFile() + "}\n");
        assertThat(error).contains("does not name '127.0.0.1'");
        delivers(router, "tls: {enabled: true, caFile: " + ca.caFile() + ", serverName: router.example}\n");
    }

    @Test
    void anAgentWithoutATrustedCertificateIsRefusedByAMutualTlsRouter() throws Exception {
        Router router = tlsRouter(", clientCaFile: " + ca.caFile());
        String none = refused(router, "tls: {enabled: true, caFile: " + ca.caFile() + "}\n");
        assertThat(none).contains("TLS handshake with router").contains("refused this agent's certificate");
        String stranger = refused(router, "tls: {enabled: true, caFile: " + ca.caFile() + ", certFile: " + strangerCert.certFile()
                + ", keyFile: " + strangerCert.keyFile() + "}\n");
        assertThat(stranger).contains("refused this agent's certificate");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(metrics(router))
                .containsPattern("ds_router_auth_refusals_total\\{reason=\"tls_handshake\"} [1-9]"));
    }

    @Test
    void aPlaintextAgentIsToldThatTheRouterRequiresTls() throws Exception {
        Router router = tlsRouter("");
        String error = refused(router, "");
        assertThat(error).isEqualTo("router 127.0.0.1:" + router.port()
                + " closed the connection: PROTOCOL_VIOLATION this router requires TLS: set tls.enabled on the agent");
        assertThat(metrics(router)).containsPattern("ds_router_auth_refusals_total\\{reason=\"plaintext\"} [1-9]");
    }

    @Test
    void aTlsAgentOnAPlaintextRouterSaysSo() throws Exception {
        Router router = cluster.router("plain-r" + N.incrementAndGet(), 0, "");
        String error = refused(router, "tls: {enabled: true, caFile: " + ca.caFile() + "}\n");
        assertThat(error).contains("did not answer with TLS");
    }

    /** The OpenSSL recipe of docs/security.md (with this host's names): mutual TLS works with its files. Skipped without openssl. */
    @Test
    void theOpensslRecipeOfTheSecurityGuideWorks() throws Exception {
        Path bin = Path.of("/usr/bin/openssl");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(bin), "openssl is not installed");
        Path d = Files.createDirectories(dir.resolve("openssl"));
        Files.writeString(d.resolve("router.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        Files.writeString(d.resolve("agent.ext"), "extendedKeyUsage=clientAuth\n");
        for (String cmd : List.of(
                "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 -subj /CN=datastream-ca"
                        + " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -keyout ca.key -out ca.pem",
                "req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=router-1 -keyout router.key -out router.csr",
                "x509 -req -in router.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 365 -extfile router.ext -out router.pem",
                "req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=agent-web-1 -keyout agent.key -out agent.csr",
                "x509 -req -in agent.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 365 -extfile agent.ext -out agent.pem")) {
            List<String> argv = new java.util.ArrayList<>(List.of(bin.toString()));
            argv.addAll(List.of(cmd.split(" ")));
            Process p = new ProcessBuilder(argv).directory(d.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(cmd + ": " + out).isZero();
        }
        Router router = cluster.router("tls-r" + N.incrementAndGet(), 0, "tls: {enabled: true, certFile: " + d.resolve("router.pem")
                + ", keyFile: " + d.resolve("router.key") + ", clientCaFile: " + d.resolve("ca.pem") + "}\n");
        delivers(router, "tls: {enabled: true, caFile: " + d.resolve("ca.pem") + ", certFile: " + d.resolve("agent.pem")
                + ", keyFile: " + d.resolve("agent.key") + "}\n");
    }

    @Test
    void unreadableTlsFilesStopTheStartWithTheKey() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgentConfig.fromYaml(AgentYaml.base("x", dir.resolve("d"), "\"127.0.0.1:1\"")
                        + "tls: {enabled: true, caFile: /nonexistent/ca.pem, certFile: " + agentCert.certFile() + "}\n"))
                .hasMessageContaining("tls.caFile: file '/nonexistent/ca.pem' does not exist")
                .hasMessageContaining("tls.keyFile: tls.certFile and tls.keyFile go together");
    }
}
