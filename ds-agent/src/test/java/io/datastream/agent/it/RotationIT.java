package io.datastream.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.agent.Agent;
import io.datastream.agent.AgentConfig;
import io.datastream.agent.testing.KafkaLines;
import io.datastream.agent.testing.LogWriter;
import io.datastream.agent.testing.RouterAndKafka;
import io.datastream.protocol.envelope.Envelope;
import io.datastream.registry.task.TaskSpec;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotation cases end to end: files on disk, the agent, a real router, a real Kafka broker; the
 * lines are read back from Kafka with the envelope deserializer and checked by identity.
 */
class RotationIT {
    private static final AtomicInteger TOPICS = new AtomicInteger();
    @RegisterExtension
    static final RouterAndKafka RUNNING = new RouterAndKafka("r1");

    @TempDir
    Path dir;

    private String topic() {
        return "rot-" + TOPICS.incrementAndGet();
    }

    private Agent agent(String glob, String topic) {
        return Agent.start(AgentConfig.fromYaml(AgentYaml.base("rot-agent", dir.resolve("data"), "\"127.0.0.1:" + RUNNING.router().port() + "\"")
                + "tasks:\n" + AgentYaml.task("app", glob, topic)));
    }

    private static void awaitAll(KafkaLines k, List<String> expected) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(k.poll().ledger().missing(expected)).isEmpty());
    }

    @Test
    void renameAndCreate() throws Exception {
        String topic = topic();
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path log = logs.resolve("app.log");
        try (Agent agent = agent(logs + "/app.log*", topic); LogWriter w = new LogWriter(log, "rename");
             KafkaLines k = RUNNING.cluster().lines(topic)) {
            for (int r = 1; r <= 5; r++) {
                w.write(500);
                Files.move(log, logs.resolve("app.log." + r), StandardCopyOption.ATOMIC_MOVE);
                w.write(50);
                w.reopen();
            }
            w.write(500);
            awaitAll(k, w.written());
            k.ledger().assertExactlyOnceAfterDedup(w.written());
            assertThat(k.corrupt()).isZero();
            Envelope e = k.envelopes().get(0);
            assertThat(e.batch().headers()).containsEntry(TaskSpec.TOPIC_HEADER, topic);
            assertThat(e.batch().agentId()).isEqualTo("rot-agent");
            assertThat(e.batch().taskId()).isEqualTo("app");
        }
    }

    /**
     * The agent is down while a file is rotated to a name its glob does not match (app.log ->
     * app.log.1, glob *.log): after the restart it finds the renamed file by inode in the same
     * directory and reads the tail it had not read, then the new app.log.
     */
    @Test
    void renamedOutOfTheGlobWhileTheAgentIsDown() throws Exception {
        String topic = topic();
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path log = logs.resolve("app.log");
        try (LogWriter w = new LogWriter(log, "outofglob"); KafkaLines k = RUNNING.cluster().lines(topic)) {
            try (Agent agent = agent(logs + "/*.log", topic)) {
                w.write(1_000);
                awaitAll(k, w.written());
            }
            w.write(700); // written while the agent is down, then rotated out of the glob
            Files.move(log, logs.resolve("app.log.1"), StandardCopyOption.ATOMIC_MOVE);
            w.reopen();
            w.write(300);
            try (Agent agent = agent(logs + "/*.log", topic)) {
                awaitAll(k, w.written());
                k.ledger().assertExactlyOnceAfterDedup(w.written());
                // the status is built from the reports of the last checkpoint tick: the lines may be delivered before it
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    assertThat(agent.status().tasks()).containsKey("app");
                    assertThat(agent.status().tasks().get("app").droppedBytes()).isZero();
                    assertThat(agent.status().tasks().get("app").droppedLines()).isZero();
                });
            }
        }
    }

    @Test
    void copytruncate() throws Exception {
        String topic = topic();
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path log = logs.resolve("app.log");
        try (Agent agent = agent(logs + "/app.log*", topic); LogWriter w = new LogWriter(log, "copytruncate");
             KafkaLines k = RUNNING.cluster().lines(topic)) {
            for (int r = 1; r <= 3; r++) {
                List<String> lines = w.write(2000);
                await().atMost(Duration.ofSeconds(30)).until(() -> k.poll().ledger().contents().contains(lines.get(200)));
                Files.copy(log, logs.resolve("app.log." + r));
                try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
                    ch.truncate(0);
                }
                w.write(100);
            }
            awaitAll(k, w.written());
            k.ledger().assertExactlyOnceAfterDedup(w.written());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(agent.status().tasks()).containsKey("app");
                assertThat(agent.status().tasks().get("app").droppedBytes()).isZero();
            });
        }
    }

    @Test
    void truncateAndInodeReuse() throws Exception {
        String topic = topic();
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path log = logs.resolve("app.log");
        List<String> expected = new ArrayList<>();
        try (Agent agent = agent(logs + "/*.log", topic); KafkaLines k = RUNNING.cluster().lines(topic)) {
            try (LogWriter w = new LogWriter(log, "t1")) {
                expected.addAll(w.write(1000));
                awaitAll(k, expected);
                try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
                    ch.truncate(0);
                }
                expected.addAll(w.write(3000)); // past the old size before the agent looks again
            }
            awaitAll(k, expected);
            for (int r = 0; r < 5; r++) {
                Files.delete(log); // the next file often gets the same inode back
                try (LogWriter w = new LogWriter(log, "reuse" + r)) {
                    expected.addAll(w.write(400));
                }
                awaitAll(k, expected);
            }
            k.ledger().assertExactlyOnceAfterDedup(expected);
        }
    }

    @Test
    void multilineStackTraces() throws Exception {
        String topic = topic();
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path log = logs.resolve("app.log");
        StringBuilder sb = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String rec = "2024-05-01 12:00:00," + String.format("%03d", i % 1000) + " ERROR [main] request " + i + " failed\n"
                    + "java.lang.IllegalStateException: boom " + i + "\n\tat a.B.c(B.java:" + i + ")\n\tat d.E.f(E.java:2)";
            expected.add(rec);
            sb.append(rec).append('\n');
        }
        Files.writeString(log, sb.toString());
        String yaml = AgentYaml.base("ml-agent", dir.resolve("data"), "\"127.0.0.1:" + RUNNING.router().port() + "\"")
                + "tasks:\n" + AgentYaml.task("app", logs + "/*.log", topic)
                + "    multiline: {startPattern: '^\\d{4}-\\d{2}-\\d{2} ', maxLines: 50, flushTimeoutMs: 300}\n";
        try (Agent agent = Agent.start(AgentConfig.fromYaml(yaml)); KafkaLines k = RUNNING.cluster().lines(topic)) {
            awaitAll(k, expected);
            k.ledger().assertExactlyOnceAfterDedup(expected);
            assertThat(k.ledger().distinctLines()).isEqualTo(300);
        }
    }

    @Test
    void aThousandFilesAtOnce() throws Exception {
        String topic = topic();
        Path logs = Files.createDirectories(dir.resolve("logs"));
        List<String> expected = new ArrayList<>();
        for (int f = 0; f < 1000; f++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                String line = "2024-05-01T12:00:00Z host" + f + " file " + f + " line " + i + " GET /api/v1/items/" + (f * 31 + i);
                expected.add(line);
                sb.append(line).append('\n');
            }
            Files.writeString(logs.resolve("f" + f + ".log"), sb.toString());
        }
        String yaml = AgentYaml.base("many-agent", dir.resolve("data"), "\"127.0.0.1:" + RUNNING.router().port() + "\"")
                .replace("files: {", "files: {maxOpen: 100, ") + "tasks:\n" + AgentYaml.task("app", logs + "/*.log", topic);
        try (Agent agent = Agent.start(AgentConfig.fromYaml(yaml)); KafkaLines k = RUNNING.cluster().lines(topic)) {
            awaitAll(k, expected);
            k.ledger().assertExactlyOnceAfterDedup(expected);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(agent.status().tasks()).containsKey("app");
                assertThat(agent.status().tasks().get("app").files()).isEqualTo(1000);
            });
        }
    }
}
