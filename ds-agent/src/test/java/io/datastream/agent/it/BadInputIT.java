package io.datastream.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.agent.Agent;
import io.datastream.agent.AgentConfig;
import io.datastream.agent.testing.KafkaLines;
import io.datastream.agent.testing.RouterAndKafka;
import io.datastream.registry.member.TaskStatus;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input end to end: a single 1 GiB line, binary files, files that vanish; nothing
 * crashes, memory stays bounded, every drop is counted and visible in the status and metrics.
 */
class BadInputIT {
    @RegisterExtension
    static final RouterAndKafka RUNNING = new RouterAndKafka("bad-r");

    @TempDir
    Path dir;

    @Test
    void aGigabyteLineBinaryAndVanishingFiles() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        long gib = 1L << 30;
        try (RandomAccessFile raf = new RandomAccessFile(logs.resolve("huge.log").toFile(), "rw")) {
            raf.write("before\n".getBytes(StandardCharsets.UTF_8));
            raf.setLength(7 + gib); // one line of 1 GiB (a sparse run of zero bytes), no newline in it
            raf.seek(raf.length());
            raf.write("\nafter\n".getBytes(StandardCharsets.UTF_8));
        }
        byte[] binary = new byte[2 << 20];
        new Random(5).nextBytes(binary);
        Files.write(logs.resolve("random.log"), binary);
        int tail = 0; // bytes after the last newline: a partial line that waits for its newline
        while (binary[binary.length - 1 - tail] != '\n') {
            tail++;
        }
        long partial = tail;
        for (int i = 0; i < 20; i++) {
            Files.writeString(logs.resolve("gone" + i + ".log"), ("short-lived file " + i + " with a line that is long enough\n").repeat(10));
        }
        String yaml = AgentYaml.base("bad-agent", dir.resolve("data"), "\"127.0.0.1:" + RUNNING.router().port() + "\"")
                .replace("http: {port: -1}", "http: {host: 127.0.0.1, port: 0}")
                + "tasks:\n" + AgentYaml.task("bad", logs + "/*.log", "bad")
                + "    maxLineBytes: 65536\n";
        try (Agent agent = Agent.start(AgentConfig.fromYaml(yaml)); KafkaLines k = RUNNING.cluster().lines("bad")) {
            for (int i = 0; i < 20; i++) {
                Files.deleteIfExists(logs.resolve("gone" + i + ".log"));
            }
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                assertThat(k.poll().ledger().missing(List.of("before", "after"))).isEmpty();
                TaskStatus st = agent.status().tasks().get("bad");
                assertThat(st.bytesRead()).as("the binary file was read up to its partial last line")
                        .isGreaterThanOrEqualTo(gib + 14 + binary.length - partial);
                assertThat(st.backlogBytes()).isEqualTo(partial);
            });
            TaskStatus st = agent.status().tasks().get("bad");
            assertThat(st.droppedLines()).isGreaterThanOrEqualTo(1);
            assertThat(st.droppedBytes()).isGreaterThanOrEqualTo(gib - 65536);
            assertThat(st.droppedBytesByReason().get("overLongLine")).isGreaterThanOrEqualTo(gib - 65536);
            assertThat(st.droppedLinesByReason().get("overLongLine")).isGreaterThanOrEqualTo(1);
            assertThat(st.state()).isEqualTo("running");
            assertThat(k.corrupt()).isZero();
            assertThat(k.ledger().contents()).allSatisfy(c -> assertThat(c.getBytes(StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(3 * 65536)); // UTF-8 replacement chars may grow the decoded text
            assertThat(Runtime.getRuntime().totalMemory()).as("no 1 GiB buffer").isLessThan(900L << 20);

            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + agent.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("ds_agent_dropped_bytes_total{reason=\"overLongLine\",task=\"bad\"}",
                    "ds_agent_dropped_bytes_total{reason=\"compressed\",task=\"bad\"} 0.0", "ds_agent_lines_acked_total{task=\"bad\"}",
                    "ds_agent_backlog_bytes{task=\"bad\"}", "ds_agent_files{class=\"fast\",task=\"bad\"}", "ds_agent_connected 1.0");
        }
    }
}
