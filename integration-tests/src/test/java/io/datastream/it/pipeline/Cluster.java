package io.datastream.it.pipeline;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datastream.control.ControlConfig;
import io.datastream.control.ControlServer;
import io.datastream.embedded.kafka.EmbeddedKafka;
import io.datastream.embedded.zk.EmbeddedZooKeeper;
import io.datastream.it.support.Brokers;
import io.datastream.it.support.DsProcess;
import io.datastream.it.support.Haproxy;
import io.datastream.testkit.tls.TestPki;
import io.datastream.it.support.KafkaTrio;
import io.datastream.it.support.Scrape;
import io.datastream.it.support.ZooKeeperTrio;
import io.datastream.it.support.ZooKeepers;
import io.datastream.testkit.net.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * The cluster the scenarios share. Two agents: {@code proxyAgent} knows only the HAProxy address;
 * {@code zkAgent} finds the routers in ZooKeeper. Each runs its local tasks, task {@code T}
 * tailing a glob under {@code logs/} (by default {@code logs/T/*.log*}) into topic {@code ds-T}
 * and output {@code out/T/}.
 */
final class Cluster implements AutoCloseable {
    /**
     * A local task of an agent.
     *
     * @param id        task id; topic {@code ds-<id>}, output {@code out/<id>/}
     * @param glob      path glob relative to {@code logs/}
     * @param emptyFile a file relative to {@code logs/} created empty before the agents start, or null
     */
    record Task(String id, String glob, String emptyFile) {
        static Task of(String id) {
            return new Task(id, id + "/*.log*", null);
        }
    }

    /** A router process with its ds and HTTP ports (fixed, so a restart comes back on them). */
    record RouterNode(DsProcess process, int port, int httpPort) {
    }

    /** An agent process with its metrics port. */
    record AgentNode(DsProcess process, int httpPort) {
    }

    final Path dir;
    final ZooKeepers zk;
    final Brokers kafka;
    final RouterNode router1;
    final RouterNode router2;
    final Haproxy haproxy;
    final DsProcess sink;
    /** ds-control in this JVM: the agents, routers and the sink push their minute reports to it. */
    final ControlServer control;
    /** Its base URL. */
    final String controlUrl;
    final AgentNode proxyAgent;
    final AgentNode zkAgent;
    /** The sink's Prometheus metrics port. */
    final int sinkMetricsPort;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    /** The suite's CA: routers serve TLS with a certificate it issued, each agent presents one naming its id (mutual TLS). */
    private TestPki pki;
    private TestPki.Issued routerCert;

    private Cluster(Path dir, List<Task> proxyTasks, List<Task> zkTasks, Function<Path, Brokers> brokers,
                    Function<Path, ZooKeepers> zooKeepers) throws IOException {
        this.dir = dir;
        try {
            pki = TestPki.create(dir.resolve("pki"), "ca");
            routerCert = pki.issue("router", "localhost", "dns:localhost", "ip:127.0.0.1");
            zk = track(zooKeepers.apply(dir));
            kafka = track(brokers.apply(dir));
            java.util.Set<String> topics = new java.util.HashSet<>();
            for (Task task : concat(proxyTasks, zkTasks)) {
                if (topics.add(task.id())) {
                    kafka.createTopic("ds-" + task.id(), 2);
                }
                Files.createDirectories(logs(task.id()));
                if (task.emptyFile() != null) {
                    Path empty = dir.resolve("logs").resolve(task.emptyFile());
                    Files.createDirectories(empty.getParent());
                    Files.write(empty, new byte[0]);
                }
            }
            control = track(ControlServer.start(ControlConfig.fromYaml(String.join("\n",
                    "http: {host: 127.0.0.1, port: " + FreePorts.next() + "}",
                    "store: {path: \"" + dir.resolve("control").resolve("metrics.db") + "\"}",
                    "alerts: {evaluationIntervalMs: 1000, webhookBackoffMs: 200}",
                    "zookeeper: {connect: \"" + zk.connectString() + "\"}"))));
            controlUrl = "http://127.0.0.1:" + control.port();
            sinkMetricsPort = FreePorts.next();
            sink = track(DsProcess.start("sink", dir.resolve("console/sink.log"), "640m",
                    List.of("sink", "--config", write("sink.yaml", sinkYaml()).toString(),
                            "--metrics-port", String.valueOf(sinkMetricsPort), "--id", "sink-1",
                            "--control-url", controlUrl, "--report-interval", "1000")));
            router1 = router("router-1");
            router2 = router("router-2");
            haproxy = track(Haproxy.start(dir.resolve("haproxy"), FreePorts.next(), List.of(
                    new Haproxy.Backend("router1", router1.port(), router1.httpPort()),
                    new Haproxy.Backend("router2", router2.port(), router2.httpPort()))));
            proxyAgent = agent("agent-proxy", proxyTasks, "routers: [\"" + haproxy.address() + "\"]\n");
            zkAgent = agent("agent-zk", zkTasks, "routers: []\nzookeeper:\n  connect: \"" + zk.connectString()
                    + "\"\n  sessionTimeoutMs: 6000\n");
            sink.awaitConsole("running", Duration.ofMinutes(2));
            awaitRouterHealthy(router1);
            awaitRouterHealthy(router2);
            awaitAgentUp(proxyAgent);
            awaitAgentUp(zkAgent);
        } catch (IOException | RuntimeException | Error e) {
            // a cluster that fails to start stops what it started: no process outlives the test
            try {
                close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** The cluster on one Kafka broker in the test JVM. */
    static Cluster start(Path dir, List<Task> proxyTasks, List<Task> zkTasks) throws IOException {
        return start(dir, proxyTasks, zkTasks, null, null);
    }

    /** The cluster on the Kafka cluster {@code brokers} starts in the cluster's directory. */
    static Cluster start(Path dir, List<Task> proxyTasks, List<Task> zkTasks, Function<Path, Brokers> brokers) throws IOException {
        return start(dir, proxyTasks, zkTasks, brokers, null);
    }

    /**
     * The cluster on the Kafka cluster {@code brokers} and the ZooKeeper {@code zooKeepers} start in
     * the cluster's directory; null for either: one broker, one ZooKeeper server in the test JVM.
     */
    static Cluster start(Path dir, List<Task> proxyTasks, List<Task> zkTasks, Function<Path, Brokers> brokers,
                         Function<Path, ZooKeepers> zooKeepers) throws IOException {
        return new Cluster(dir, proxyTasks, zkTasks, brokers != null ? brokers : d -> Brokers.single(EmbeddedKafka.builder()
                .port(FreePorts.next()).controllerPort(FreePorts.next()).logDir(d.resolve("kafka")).defaultPartitions(2).build().start()),
                zooKeepers != null ? zooKeepers : d -> ZooKeepers.single(EmbeddedZooKeeper.start(FreePorts.next(), d.resolve("zookeeper"))));
    }

    Path logs(String task) {
        return dir.resolve("logs").resolve(task);
    }

    Path out(String task) {
        return dir.resolve("out").resolve(task);
    }

    List<RouterNode> routers() {
        return List.of(router1, router2);
    }

    /** Waits until the router answers /health with 200 (it accepts agents and Kafka answers). */
    void awaitRouterHealthy(RouterNode r) {
        await(r.process().name() + " healthy").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!r.process().isAlive()) {
                        throw new IllegalStateException(r.process().name() + " exited:\n" + r.process().tail());
                    }
                    return Scrape.health(r.httpPort()) == 200;
                });
    }

    /** Waits until the agent serves metrics and is connected to a router. */
    void awaitAgentUp(AgentNode a) {
        await(a.process().name() + " connected").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    if (!a.process().isAlive()) {
                        throw new IllegalStateException(a.process().name() + " exited:\n" + a.process().tail());
                    }
                    return Scrape.value(a.httpPort(), "ds_agent_connected") == 1.0;
                });
    }

    private RouterNode router(String id) throws IOException {
        int port = FreePorts.next();
        int http = FreePorts.next();
        String yaml = "id: " + id + "\n"
                + "advertisedHost: 127.0.0.1\n"
                + "listen: {host: 127.0.0.1, port: " + port + ", workerThreads: 1}\n"
                + "http: {host: 127.0.0.1, port: " + http + "}\n"
                + "pool: {capacityBytes: 67108864}\n"
                + "kafka:\n  bootstrapServers: \"" + kafka.bootstrapServers() + "\"\n"
                + "zookeeper:\n  connect: \"" + zk.connectString() + "\"\n  sessionTimeoutMs: 6000\n"
                // TLS with mutual authentication, and per-agent identities: an agent may claim only the id its certificate names
                + "tls: {enabled: true, certFile: \"" + routerCert.certFile() + "\", keyFile: \"" + routerCert.keyFile()
                + "\", clientCaFile: \"" + pki.caFile() + "\"}\n"
                + "auth:\n  agents:\n    - {name: pipeline-agents, certificateCn: \"agent-*\", tasks: [\"*\"], topics: [\"ds-*\"]}\n"
                + reports();
        DsProcess p = track(DsProcess.start(id, dir.resolve("console/" + id + ".log"), "256m",
                List.of("router", "--config", write(id + ".yaml", yaml).toString())));
        return new RouterNode(p, port, http);
    }

    private AgentNode agent(String id, List<Task> tasks, String connection) throws IOException {
        int http = FreePorts.next();
        TestPki.Issued cert = pki.issue(id, id);
        StringBuilder yaml = new StringBuilder("id: " + id + "\n"
                + "tls: {enabled: true, caFile: \"" + pki.caFile() + "\", certFile: \"" + cert.certFile() + "\", keyFile: \""
                + cert.keyFile() + "\"}\n"
                + "dataDir: \"" + dir.resolve(id) + "\"\n"
                + "http: {host: 127.0.0.1, port: " + http + "}\n"
                + "paths: {allow: [\"" + dir.resolve("logs") + "\"]}\n"
                + connection
                + "send: {backoffMaxMs: 2000, ackTimeoutMs: 30000}\n"
                + "discovery: {intervalMs: 2000}\n"
                + reports()
                + "tasks:\n");
        for (Task t : tasks) {
            yaml.append("  - id: ").append(t.id()).append('\n')
                    .append("    paths: [\"").append(dir.resolve("logs")).append('/').append(t.glob()).append("\"]\n");
        }
        DsProcess p = track(DsProcess.start(id, dir.resolve("console/" + id + ".log"), "256m",
                List.of("agent", "--config", write(id + ".yaml", yaml.toString()).toString())));
        return new AgentNode(p, http);
    }

    /** Minute reports to this cluster's control, every second. */
    private String reports() {
        return "reports: {controlUrl: \"" + controlUrl + "\", intervalMs: 1000}\n";
    }

    /** Control's audit of a task over the last hour ({@code GET /api/v1/tasks/{task}/audit}). */
    JsonNode audit(String task) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(controlUrl + "/api/v1/tasks/" + task + "/audit?since=1h")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("audit of " + task + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return new ObjectMapper().readTree(r.body());
    }

    /** POSTs JSON to control; returns the status. */
    int post(String path, String json) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(controlUrl + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** PUTs JSON to control with {@code If-Match: *} (whatever version is there); returns the status. */
    int put(String path, String json) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(controlUrl + path))
                .header("Content-Type", "application/json").header("If-Match", "*")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String sinkYaml() {
        return "kafka:\n"
                + "  bootstrapServers: \"" + kafka.bootstrapServers() + "\"\n"
                + "  topicPattern: \"ds-.*\"\n"
                + "  partitionDiscoveryInterval: 5s\n"
                + "output:\n  path: \"" + dir.resolve("out").toUri() + "\"\n"
                + "deadLetter:\n  path: \"" + dir.resolve("dead-letters").toUri() + "\"\n"
                + "job:\n  checkpointInterval: 2s\n  checkpointDir: \"" + dir.resolve("checkpoints").toUri() + "\"\n";
    }

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve("conf").resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    private <T extends AutoCloseable> T track(T c) {
        closeables.add(c);
        return c;
    }

    private static List<Task> concat(List<Task> a, List<Task> b) {
        List<Task> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The consoles of every process, for a failure report. */
    String consoles() {
        StringBuilder sb = new StringBuilder();
        for (AutoCloseable c : closeables) {
            List<DsProcess> processes = c instanceof DsProcess p ? List.of(p)
                    : c instanceof KafkaTrio trio ? trio.processes()
                    : c instanceof ZooKeeperTrio ensemble ? ensemble.processes() : List.of();
            for (DsProcess p : processes) {
                sb.append("---- ").append(p.name()).append(" ----\n").append(p.tail()).append('\n');
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        // agents first (they stop sending), then haproxy, routers, the sink, Kafka, ZooKeeper
        List<AutoCloseable> reversed = new ArrayList<>(closeables);
        Collections.reverse(reversed);
        RuntimeException failure = null;
        for (AutoCloseable c : reversed) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing the cluster", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
