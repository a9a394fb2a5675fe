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

    @Test
    void aTaskCreatedWithDsCtlIsRunByTheAgentAndItsStatusShows(@TempDir Path dir) throws Exception {
        StandaloneConfig cfg = StandaloneConfig.builder(dir).ports(FreePorts::next).checkpointInterval(Duration.ofSeconds(1))
                .progressInterval(Duration.ZERO).build();
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
