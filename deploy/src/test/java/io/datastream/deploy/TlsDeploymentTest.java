package io.datastream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.datastream.agent.AgentConfig;
import io.datastream.router.RouterConfig;
import io.datastream.router.server.TlsContexts;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/**
 * Offline validation that the shipped compose cluster and Kubernetes manifests run agents and
 * routers with TLS: deploy/tls/gen-certs.sh makes a CA and a router certificate that names every
 * address the shipped agents connect to (HAProxy included: it passes TLS through); the routers'
 * and agents' configs turn TLS on with files that the compose file mounts from ./tls and the
 * manifests mount from Secrets that kustomize generates from the script's files; and a TLS
 * handshake between the router's own server context and a client that verifies the CA and the
 * host name, as the agent does, succeeds for those addresses and fails for another name.
 */
class TlsDeploymentTest {
    private static final Path COMPOSE = Path.of("compose");
    private static final Path K8S = Path.of("k8s");
    private static final Set<String> SCRIPT_FILES = Set.of("ca.pem", "router.pem", "router.key");

    private static X509Certificate certificate(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static String host(String address) {
        return address.substring(0, address.lastIndexOf(':'));
    }

    /** The router addresses the shipped agents use (the k8s config names HAProxy's Service as the alternative). */
    private static List<String> agentTargets() throws Exception {
        List<String> hosts = new ArrayList<>();
        hosts.add(host(ComponentConfigs.agent(Files.readString(COMPOSE.resolve("conf/agent.yaml"))).routers().get(0)));
        String k8sAgent = configMapText("ds-agent-config", "agent.yaml");
        hosts.add(host(ComponentConfigs.agent(k8sAgent).routers().get(0)));
        hosts.add("ds-haproxy.datastream.svc");
        return hosts;
    }

    @Test
    void theScriptMakesARouterCertificateForEveryAddressAgentsConnectTo() throws Exception {
        Path dir = ComponentConfigs.tlsDir();
        for (String f : SCRIPT_FILES) {
            assertThat(dir.resolve(f)).exists();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key")))).isEqualTo("rw-------");
        X509Certificate ca = certificate(dir.resolve("ca.pem"));
        X509Certificate router = certificate(dir.resolve("router.pem"));
        router.verify(ca.getPublicKey());
        assertThat(router.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1"); // serverAuth
        Set<String> names = new HashSet<>();
        for (List<?> san : router.getSubjectAlternativeNames()) {
            names.add(String.valueOf(san.get(1)));
        }
        assertThat(names).containsAll(agentTargets()).contains("router1", "router2", "127.0.0.1");
    }

    @Test
    void composeRoutersAndAgentsUseTlsWithTheMountedFiles() throws Exception {
        JsonNode services = ComponentConfigs.documents(COMPOSE.resolve("docker-compose.yml")).get(0).path("services");
        RouterConfig router = ComponentConfigs.router(Files.readString(COMPOSE.resolve("conf/router.yaml")));
        AgentConfig agent = ComponentConfigs.agent(Files.readString(COMPOSE.resolve("conf/agent.yaml")));
        assertThat(router.tls().enabled()).isTrue();
        assertThat(agent.tls().enabled()).isTrue();
        assertThat(agent.tls().verifyHostname()).isTrue();
        String routerYaml = Files.readString(COMPOSE.resolve("conf/router.yaml"));
        String agentYaml = Files.readString(COMPOSE.resolve("conf/agent.yaml"));
        for (String svc : List.of("router1", "router2")) {
            assertMountedFromScript(services.path(svc), tlsFiles(routerYaml), svc);
        }
        for (String svc : List.of("agent-1", "agent-2")) {
            assertMountedFromScript(services.path(svc), tlsFiles(agentYaml), svc);
        }
        assertThat(Files.readString(COMPOSE.resolve(".gitignore"))).as("generated keys stay out of git").contains("tls/");
        assertThat(Files.readString(COMPOSE.resolve("README.md"))).contains("deploy/tls/gen-certs.sh deploy/compose/tls --key-mode 644");
    }

    /** Every {@value ComponentConfigs#TLS_MOUNT} file the config names is bind-mounted read-only from ./tls/ with the script's file name. */
    private static void assertMountedFromScript(JsonNode service, List<String> files, String name) {
        assertThat(files).as(name + " names TLS files").isNotEmpty();
        Map<String, String> mounts = new HashMap<>();
        for (JsonNode v : service.path("volumes")) {
            String[] p = v.asText().split(":");
            mounts.put(p[1], p[0] + (p.length > 2 ? ":" + p[2] : ""));
        }
        for (String f : files) {
            String base = f.substring(f.lastIndexOf('/') + 1);
            assertThat(SCRIPT_FILES).as(f + " is a file of gen-certs.sh").contains(base);
            assertThat(mounts.get(f)).as(name + " mounts " + f).isEqualTo("./tls/" + base + ":ro");
        }
    }

    private static List<String> tlsFiles(String yaml) {
        List<String> out = new ArrayList<>();
        for (String line : yaml.split("\n")) {
            int i = line.indexOf(ComponentConfigs.TLS_MOUNT);
            if (i >= 0) {
                out.add(line.substring(i).split("[\\s#]")[0]);
            }
        }
        return out;
    }

    @Test
    void kubernetesRoutersAndAgentsUseTlsFromGeneratedSecrets() throws Exception {
        Map<String, List<String>> generated = new HashMap<>();
        for (JsonNode d : ComponentConfigs.documents(K8S.resolve("kustomization.yaml"))) {
            for (JsonNode g : d.path("secretGenerator")) {
                List<String> files = new ArrayList<>();
                for (JsonNode f : g.path("files")) {
                    assertThat(f.asText()).as("generated from the script's output in deploy/k8s/tls").startsWith("tls/");
                    files.add(f.asText().substring("tls/".length()));
                }
                generated.put(g.path("name").asText(), files);
            }
        }
        assertThat(Files.readString(K8S.resolve(".gitignore"))).contains("tls/");
        String routerYaml = configMapText("ds-router-config", "router.yaml");
        String agentYaml = configMapText("ds-agent-config", "agent.yaml");
        assertThat(ComponentConfigs.router(routerYaml).tls().enabled()).isTrue();
        assertThat(ComponentConfigs.agent(agentYaml).tls().enabled()).isTrue();
        assertSecretMounted(workload("Deployment", "ds-router", "router.yaml"), tlsFiles(routerYaml), generated);
        assertSecretMounted(workload("DaemonSet", "ds-agent", "agent-daemonset.yaml"), tlsFiles(agentYaml), generated);

        // the router image runs as a user that reads the key through the pod's fsGroup
        JsonNode router = workload("Deployment", "ds-router", "router.yaml");
        String user = Files.readString(Path.of("docker/router/Dockerfile")).lines().filter(l -> l.startsWith("USER "))
                .findFirst().orElseThrow().substring(5).trim();
        assertThat(router.at("/spec/template/spec/securityContext/fsGroup").asText()).isEqualTo(user);
    }

    private static void assertSecretMounted(JsonNode workload, List<String> files, Map<String, List<String>> generated) {
        JsonNode container = workload.at("/spec/template/spec/containers/0");
        assertThat(files).isNotEmpty();
        for (String f : files) {
            String dir = f.substring(0, f.lastIndexOf('/'));
            String base = f.substring(f.lastIndexOf('/') + 1);
            String volume = null;
            for (JsonNode m : container.path("volumeMounts")) {
                if (m.path("mountPath").asText().equals(dir)) {
                    volume = m.path("name").asText();
                }
            }
            assertThat(volume).as(workload.at("/metadata/name").asText() + " mounts " + dir).isNotNull();
            String secret = null;
            for (JsonNode v : workload.at("/spec/template/spec/volumes")) {
                if (v.path("name").asText().equals(volume)) {
                    secret = v.at("/secret/secretName").asText(null);
                }
            }
            assertThat(secret).as(dir + " is a Secret volume").isNotNull();
            assertThat(generated.get(secret)).as("kustomization's secretGenerator " + secret).contains(base);
            assertThat(SCRIPT_FILES).contains(base);
        }
    }

    private static JsonNode workload(String kind, String name, String file) throws Exception {
        for (JsonNode d : ComponentConfigs.documents(K8S.resolve(file))) {
            if (d.path("kind").asText().equals(kind) && d.at("/metadata/name").asText().equals(name)) {
                return d;
            }
        }
        throw new AssertionError(kind + " " + name + " in " + file);
    }

    private static String configMapText(String name, String key) throws Exception {
        for (JsonNode d : ComponentConfigs.documents(K8S.resolve("configmaps.yaml"))) {
            if (d.at("/metadata/name").asText().equals(name)) {
                return d.path("data").path(key).asText();
            }
        }
        throw new AssertionError("ConfigMap " + name);
    }

    @Test
    void aRouterWithTheShippedConfigAndAnAgentThatVerifiesItsNameShakeHands() throws Exception {
        RouterConfig router = ComponentConfigs.router(configMapText("ds-router-config", "router.yaml"));
        SslContext server = TlsContexts.agents(router.tls());
        AgentConfig agent = ComponentConfigs.agent(Files.readString(COMPOSE.resolve("conf/agent.yaml")));
        SslContext client = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .trustManager(Path.of(agent.tls().caFile()).toFile()).build();
        for (String host : agentTargets()) {
            handshake(client, server, host);
        }
        assertThatThrownBy(() -> handshake(client, server, "evil.example")).isInstanceOf(SSLException.class)
                .hasMessageContaining("evil.example");
    }

    /** A TLS handshake in memory, the client verifying the server's certificate for {@code host} (as the agent's verifyHostname). */
    private static void handshake(SslContext clientContext, SslContext serverContext, String host) throws Exception {
        SSLEngine c = clientContext.newEngine(ByteBufAllocator.DEFAULT, host, 7100);
        SSLParameters params = c.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        c.setSSLParameters(params);
        SSLEngine s = serverContext.newEngine(ByteBufAllocator.DEFAULT);
        ByteBuffer c2s = ByteBuffer.allocate(1 << 17);
        ByteBuffer s2c = ByteBuffer.allocate(1 << 17);
        c.beginHandshake();
        s.beginHandshake();
        for (int i = 0; i < 100; i++) {
            step(c, c2s, s2c);
            step(s, s2c, c2s);
            // the client (the agent's side, which verifies) is done; the JDK's TLS 1.3 server may still wait to read
            if (c.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING && i > 0) {
                assertThat(c.getSession().getPeerCertificates()).isNotEmpty();
                return;
            }
        }
        throw new AssertionError("the handshake with " + host + " did not finish");
    }

    /** Reads what the peer wrote ({@code in}, in write mode), then writes what the engine has to send into {@code out}. */
    private static void step(SSLEngine e, ByteBuffer out, ByteBuffer in) throws Exception {
        ByteBuffer app = ByteBuffer.allocate(1 << 17);
        in.flip();
        while (in.hasRemaining()) {
            int before = in.remaining();
            e.unwrap(in, app);
            runTasks(e);
            if (in.remaining() == before) {
                break;
            }
        }
        in.compact();
        for (int i = 0; i < 8 && e.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; i++) {
            e.wrap(ByteBuffer.allocate(0), out);
            runTasks(e);
        }
    }

    private static void runTasks(SSLEngine e) {
        Runnable t;
        while ((t = e.getDelegatedTask()) != null) {
            t.run();
        }
    }
}
