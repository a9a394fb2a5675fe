package io.datastream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.deploy.standalone.Standalone;
import io.datastream.deploy.standalone.StandaloneConfig;
import io.datastream.testkit.net.FreePorts;
import io.datastream.testkit.output.CommittedOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline in one JVM on free ports: lines written to DIR/logs arrive in DIR/out
 * exactly once, and a clean restart on the same directory resumes without repeating or
 * missing a line.
 */
class StandaloneIT {

    @Test
    void linesArriveExactlyOnceAcrossARestart(@TempDir Path dir) throws Exception {
        StandaloneConfig cfg = StandaloneConfig.builder(dir).ports(FreePorts::next).checkpointInterval(Duration.ofSeconds(1))
                .progressInterval(Duration.ofMillis(500)).build();
        List<String> written = new ArrayList<>();
        Path logs = cfg.logsDir();

        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (Standalone s = Standalone.start(cfg, new PrintStream(console, true, StandardCharsets.UTF_8))) {
            assertThat(console.toString(StandardCharsets.UTF_8)).contains("ready");
            written.addAll(append(logs.resolve("a.log"), "a", 0, 2_000));
            written.addAll(append(logs.resolve("nested/b.log"), "b", 0, 1_500));
            awaitOutput(cfg, written);
            // the sink's counters are served on loopback, per task
            String metrics = httpGet("http://127.0.0.1:" + cfg.sinkMetricsPort() + "/metrics");
            assertThat(metricValue(metrics, "ds_sink_lines_written_total")).isGreaterThanOrEqualTo(written.size());
            // the minute reports lost nothing, and would say so
            assertThat(metrics).contains("\nds_sink_report_counts_not_kept_total ", "\nds_sink_report_latencies_not_kept_total ");
            assertThat(metricValue(metrics, "ds_sink_report_counts_not_kept_total")).isZero();
            assertThat(metricValue(metrics, "ds_sink_report_latencies_not_kept_total")).isZero();
            // the progress line counts committed lines of the agent's tasks, and what was dropped
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                    console.toString(StandardCharsets.UTF_8).contains("committed 3,500 lines"));
            assertThat(console.toString(StandardCharsets.UTF_8)).contains("| dropped 0 |")
                    .contains("| sink: 0 duplicate lines, 0 corrupt envelopes, ");
            // nothing listens beyond loopback: ZooKeeper, Kafka, control, router, metrics, Flink's REST API and blob server
            if (ListeningSockets.supported()) {
                List<ListeningSockets.Listener> listeners = ListeningSockets.ofThisProcess();
                assertThat(listeners).as("listening sockets").hasSizeGreaterThanOrEqualTo(8);
                assertThat(listeners).as("listening sockets").allMatch(ListeningSockets.Listener::loopback);
            }
        }

        // while stopped: more lines, in an old file and a new one
        written.addAll(append(logs.resolve("a.log"), "a", 2_000, 3_000));
        written.addAll(append(logs.resolve("c.log"), "c", 0, 500));

        try (Standalone s = Standalone.start(cfg, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            written.addAll(append(logs.resolve("nested/b.log"), "b", 1_500, 2_500));
            awaitOutput(cfg, written);
        }
    }

    /** A count (or one name of a count map) summed over a tier's points of a series. */
    private static long sum(com.fasterxml.jackson.databind.JsonNode points, String... path) {
        long n = 0;
        for (com.fasterxml.jackson.databind.JsonNode p : points) {
            com.fasterxml.jackson.databind.JsonNode v = p.path("counts");
            for (String k : path) {
                v = v.path(k);
            }
            n += v.asLong();
        }
        return n;
    }

    @Test
    void aTaskCreatedWithDsCtlIsRunByTheAgentAndItsStatusShows(@TempDir Path dir) throws Exception {
        StandaloneConfig cfg = StandaloneConfig.builder(dir).ports(FreePorts::next).checkpointInterval(Duration.ofSeconds(1))
                .progressInterval(Duration.ZERO).reportInterval(Duration.ofMillis(500)).build();
        Path nginx = Files.createDirectories(dir.resolve("nginx"));
        List<String> written = append(nginx.resolve("access.log"), "nginx", 0, 300);
        Path task = Files.writeString(dir.resolve("task.yaml"), String.join("\n",
                "id: nginx",
                "paths: [\"" + nginx + "/*.log\"]",
                "topic: ds-nginx", ""));
        try (Standalone s = Standalone.start(cfg, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            String url = "http://localhost:" + cfg.controlPort();
            // the web console is served on control's port, and a loopback browser needs no login
            assertThat(httpGet(url + "/ui/")).contains("<title>Datastream console</title>");
            assertThat(httpGet(url + "/api/v1/whoami")).contains("\"role\":\"admin\"").contains("\"name\":\"loopback\"");
            assertThat(ctl("--url", url, "task", "create", "-f", task.toString())).contains("nginx");
            // the agent picks the task up from ZooKeeper, reads the file, and reports its status
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() ->
                    ctl("--url", url, "--json", "task", "get", "nginx").contains("\"linesAcked\" : 300")
                            || ctl("--url", url, "--json", "task", "get", "nginx").contains("\"linesAcked\":300"));
            assertThat(ctl("--url", url, "task", "get", "nginx")).contains("standalone-agent").contains("running");
            // and the lines reach the output under the task's own directory
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> CommittedOutput.lines(cfg.outDir().resolve("nginx")).size() >= written.size());
            assertThat(CommittedOutput.lines(cfg.outDir().resolve("nginx"))).containsExactlyInAnyOrderElementsOf(written);
            // the sink's side of the task shows in its status too
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                    ctl("--url", url, "task", "get", "nginx").contains("sink: 300 lines written, 0 dropped as duplicates"));
            assertThat(ctl("--url", url, "task", "get", "nginx")).contains("standalone-sink");
            // the agent's files, asked from the agent through control
            assertThat(ctl("--url", url, "agent", "files", "standalone-agent"))
                    .contains("TASK").contains("nginx").contains(nginx.resolve("access.log").toString());
            assertThat(ctl("--url", url, "--json", "agent", "files", "standalone-agent"))
                    .containsPattern("\"offset\" ?: ?" + Files.size(nginx.resolve("access.log")));
            assertThat(ctl("--url", url, "agent", "files", "no-such-agent")).contains("not registered");

            // events posted over HTTP as curl -d would (form encoding, read as JSON) land in out/events exactly once
            String events = "[{\"headers\":{\"logType\":\"jvm\",\"app\":\"shop\"},\"body\":\"order 1 paid\"},"
                    + "{\"headers\":{\"logType\":\"jvm\"},\"body\":\"order 2 paid\"},{\"body\":\"order 3 \\u00e9\"}]";
            java.net.http.HttpResponse<String> posted = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + cfg.eventsPort() + "/v1/events"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(events)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> CommittedOutput.lines(cfg.outDir().resolve(Standalone.EVENTS_TASK)).size() >= 3);
            List<String> out = CommittedOutput.lines(cfg.outDir().resolve(Standalone.EVENTS_TASK));
            assertThat(out).hasSize(3);
            assertThat(String.join("\n", out)).contains("order 1 paid").contains("\"app\":\"shop\"").contains("order 2 paid")
                    .contains("order 3");
            // the router reports the events under the channel's task: accepted, written by its Kafka sink; the sink their commits
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            String series = url + "/api/v1/metrics?task=" + Standalone.EVENTS_TASK + "&step=minute";
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> {
                com.fasterxml.jackson.databind.JsonNode tiers = json.readTree(httpGet(series)).path("tiers");
                return sum(tiers.path("router"), "eventsAccepted") == 3 && sum(tiers.path("router"), "eventsWrittenBySink", "kafka-events") == 3
                        && sum(tiers.path("sink"), "linesCommitted") == 3;
            });
            com.fasterxml.jackson.databind.JsonNode tiers = json.readTree(httpGet(series)).path("tiers");
            assertThat(sum(tiers.path("router"), "eventsRefused")).isZero();
            assertThat(sum(tiers.path("router"), "linesToKafka")).as("agent batches only").isZero();
        }
    }

    /**
     * Reports on (pushed every 500 ms): after N lines, the product's own audit of the default task
     * ({@code GET /api/v1/tasks/default/audit}, {@code ds ctl audit default}) shows N read, acknowledged,
     * in Kafka and committed, minute by minute, and each minute's count is what the test itself
     * counts in Kafka for that read minute.
     */
    @Test
    void theAuditOfTheDefaultTaskAgreesWithTheLinesWrittenMinuteByMinute(@TempDir Path dir) throws Exception {
        StandaloneConfig cfg = StandaloneConfig.builder(dir).ports(FreePorts::next).checkpointInterval(Duration.ofSeconds(1))
                .progressInterval(Duration.ZERO).reportInterval(Duration.ofMillis(500)).build();
        List<String> written = new ArrayList<>();
        try (Standalone s = Standalone.start(cfg, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            assertThat(s.reports()).isPresent();
            written.addAll(append(cfg.logsDir().resolve("a.log"), "a", 0, 2_000));
            written.addAll(append(cfg.logsDir().resolve("nested/b.log"), "b", 0, 1_000));
            awaitOutput(cfg, written);
            written.addAll(append(cfg.logsDir().resolve("a.log"), "a", 2_000, 2_500));
            awaitOutput(cfg, written);
            long n = written.size();
            String url = "http://localhost:" + cfg.controlPort();
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> {
                com.fasterxml.jackson.databind.JsonNode t = json.readTree(httpGet(url + "/api/v1/tasks/default/audit?since=1h"))
                        .path("total");
                return t.path("read").asLong() == n && t.path("acked").asLong() == n && t.path("inKafka").asLong() == n
                        && t.path("committed").asLong() == n;
            });
            com.fasterxml.jackson.databind.JsonNode audit = json.readTree(httpGet(url + "/api/v1/tasks/default/audit?since=1h"));
            assertThat(audit.path("reporting").toString()).contains("agent").contains("router").contains("sink");
            assertThat(audit.path("total").path("dropped").asLong()).isZero();
            assertThat(audit.path("total").path("duplicatesDropped").asLong()).isZero();
            // the test's own count: lines in Kafka per read minute (the minute of each batch's first event time)
            java.util.Map<Long, Long> tally = io.datastream.testkit.kafka.TopicTally.read("127.0.0.1:" + cfg.kafkaPort(),
                    Standalone.DEFAULT_TOPIC, Duration.ofSeconds(30)).linesByReadMinute();
            assertThat(tally.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(n);
            java.util.Map<Long, Long> audited = new java.util.TreeMap<>();
            for (com.fasterxml.jackson.databind.JsonNode w : audit.path("windows")) {
                long read = w.path("read").asLong();
                assertThat(List.of(w.path("acked").asLong(), w.path("inKafka").asLong(), w.path("committed").asLong()))
                        .as("minute %s", w.path("minute")).containsOnly(read);
                if (read > 0) {
                    audited.put(w.path("minute").asLong(), read);
                }
            }
            assertThat(audited).isEqualTo(tally);
            // the router's intake, in its own series: every line arrived once (no re-sends here)
            long linesIn = 0;
            for (com.fasterxml.jackson.databind.JsonNode p : json.readTree(httpGet(url + "/api/v1/metrics?task=default&step=minute"))
                    .path("tiers").path("router")) {
                linesIn += p.path("counts").path("linesIn").asLong();
            }
            assertThat(linesIn).isEqualTo(n);
            // the sink's end-to-end latency (agent read -> checkpoint commit) per read minute: one per committed line
            long measured = 0;
            for (com.fasterxml.jackson.databind.JsonNode p : json.readTree(httpGet(url + "/api/v1/metrics?task=default&step=minute"))
                    .path("tiers").path("sink")) {
                com.fasterxml.jackson.databind.JsonNode c = p.path("counts");
                com.fasterxml.jackson.databind.JsonNode l = c.path("latency");
                assertThat(l.path("count").asLong()).as("latency count of minute %s", p.path("minute")).isEqualTo(c.path("linesCommitted").asLong());
                if (c.path("linesCommitted").asLong() > 0) {
                    assertThat(l.path("p50Ms").asLong()).as("p50 of minute %s: %s", p.path("minute"), l).isPositive();
                    assertThat(l.path("p99Ms").asLong()).isGreaterThanOrEqualTo(l.path("p50Ms").asLong());
                    assertThat(l.path("maxMs").asLong()).isGreaterThanOrEqualTo(l.path("p99Ms").asLong()).isEqualTo(c.path("latencyMaxMs").asLong());
                    assertThat(l.path("maxMs").asLong()).as("within the test's run").isLessThan(Duration.ofMinutes(10).toMillis());
                }
                System.out.println("[latency] minute " + p.path("minute") + ": " + l);
                measured += l.path("count").asLong();
            }
            assertThat(measured).isEqualTo(n);
            // ds ctl audit prints the same: the total line has N in read, acked, in Kafka and committed
            String table = ctl("--url", url, "audit", "default", "--since", "1h");
            String total = table.lines().filter(l -> l.startsWith("TOTAL")).findFirst().orElseThrow();
            assertThat(total.trim().split("\\s+")).as(table).startsWith("TOTAL", String.valueOf(n), "0", String.valueOf(n),
                    String.valueOf(n), String.valueOf(n), "0");
        }
    }

    /**
     * An alert on the agent's backlog, from the agent's own reports: it fires while no router
     * runs (the agent cannot ship), reaching a local webhook receiver, and resolves once a router
     * starts and the backlog is acknowledged; the audit then has every line at every tier.
     */
    @Test
    void aBacklogAlertFiresWhileNoRouterRunsAndResolvesAfter(@TempDir Path dir) throws Exception {
        java.util.Set<StandaloneConfig.Component> noRouter = java.util.EnumSet.allOf(StandaloneConfig.Component.class);
        noRouter.remove(StandaloneConfig.Component.ROUTER);
        StandaloneConfig cfg = StandaloneConfig.builder(dir).ports(FreePorts::next).checkpointInterval(Duration.ofSeconds(1))
                .progressInterval(Duration.ZERO).reportInterval(Duration.ofMillis(500)).components(noRouter).build();
        List<String> hooks = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", ex -> {
            hooks.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        try (Standalone s = Standalone.start(cfg, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            String url = "http://localhost:" + cfg.controlPort();
            assertThat(ctl("--url", url, "alert", "create", "backlog", "--kind", "backlogBytes", "--threshold", "0", "--task", "default",
                    "--webhook", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook")).contains("created");
            List<String> written = append(cfg.logsDir().resolve("a.log"), "a", 0, 1_000);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> hooks.stream().anyMatch(h -> h.contains("\"state\":\"firing\"")));
            assertThat(hooks.get(0)).contains("\"rule\":\"backlog\"").contains("\"task\":\"default\"");
            assertThat(ctl("--url", url, "alert", "list")).contains("firing");

            try (io.datastream.router.Router router = io.datastream.router.Router.start(io.datastream.router.RouterConfig.fromYaml(
                    String.join("\n",
                            "id: test-router",
                            "listen:",
                            "  host: 127.0.0.1",
                            "  port: " + cfg.routerPort(),
                            "http:",
                            "  host: 127.0.0.1",
                            "  port: " + cfg.routerHttpPort(),
                            "kafka:",
                            "  bootstrapServers: 127.0.0.1:" + cfg.kafkaPort(),
                            "reports:",
                            "  controlUrl: " + s.reports().orElseThrow().controlUrl(),
                            "  intervalMs: 500")))) {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                        .until(() -> hooks.stream().anyMatch(h -> h.contains("\"state\":\"resolved\"")));
                awaitOutput(cfg, written);
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    String total = ctl("--url", url, "audit", "default", "--since", "1h").lines()
                            .filter(l -> l.startsWith("TOTAL")).findFirst().orElse("");
                    return total.trim().split("\\s+").length > 6 && List.of(total.trim().split("\\s+")).subList(0, 7)
                            .equals(List.of("TOTAL", "1000", "0", "1000", "1000", "1000", "0"));
                });
            }
        } finally {
            receiver.stop(0);
        }
    }

    private static String ctl(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cl = Ds.commandLine();
        cl.setOut(new java.io.PrintWriter(out));
        cl.setErr(new java.io.PrintWriter(out));
        String[] full = new String[args.length + 1];
        full[0] = "ctl";
        System.arraycopy(args, 0, full, 1, args.length);
        cl.execute(full);
        return out.toString();
    }

    private static void awaitOutput(StandaloneConfig cfg, List<String> written) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> CommittedOutput.lines(cfg.outDir()).size() >= written.size());
        List<String> out = CommittedOutput.lines(cfg.outDir());
        assertThat(out).doesNotHaveDuplicates();
        assertThat(out).containsExactlyInAnyOrderElementsOf(written);
        assertThat(cfg.outDir().resolve(Standalone.DEFAULT_TASK)).isDirectory();
    }

    private static String httpGet(String url) throws IOException, InterruptedException {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** The sum of every sample of {@code name} in a Prometheus text exposition. */
    private static double metricValue(String exposition, String name) {
        double sum = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static List<String> append(Path file, String name, int from, int to) throws IOException {
        Files.createDirectories(file.getParent());
        List<String> lines = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            String line = name + " " + i + " GET /api/v1/items/" + (i * 7919 % 10007) + " HTTP/1.1 200 " + (i % 977);
            lines.add(line);
            sb.append(line).append('\n');
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return lines;
    }
}
