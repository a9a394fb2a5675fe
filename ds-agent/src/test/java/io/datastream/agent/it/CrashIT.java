package io.datastream.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.agent.checkpoint.CheckpointEntry;
import io.datastream.agent.checkpoint.CheckpointFile;
import io.datastream.protocol.envelope.LineIdentity;
import io.datastream.agent.cli.AgentCommand;
import io.datastream.agent.testing.KafkaLines;
import io.datastream.agent.testing.LogWriter;
import io.datastream.agent.testing.RouterAndKafka;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of an agent running in its own JVM, mid-stream, twice, with a rotation while it is
 * down: every line reaches Kafka, and the only repeats are re-sends with the same identity.
 */
class CrashIT {
    @RegisterExtension
    static final RouterAndKafka RUNNING = new RouterAndKafka("crash-r");

    @TempDir
    Path dir;

    private Process startAgent(Path config, int run) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                AgentCommand.class.getName(), "--config", config.toString());
        File out = dir.resolve("agent-" + run + ".out").toFile();
        pb.redirectErrorStream(true).redirectOutput(out);
        return pb.start();
    }

    private Map<Long, Long> checkpoints() throws Exception {
        Map<Long, Long> m = new HashMap<>();
        for (CheckpointEntry e : new CheckpointFile(dir.resolve("data")).load().entries()) {
            m.put(e.streamId(), e.offset());
        }
        return m;
    }

    @Test
    void killMinusNineMidStreamLosesNothing() throws Exception {
        String topic = "crash";
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path log = logs.resolve("app.log");
        Path config = dir.resolve("agent.yaml");
        Files.writeString(config, AgentYaml.base("crash-agent", dir.resolve("data"), "\"127.0.0.1:" + RUNNING.router().port() + "\"")
                + "tasks:\n" + AgentYaml.task("app", logs + "/app.log*", topic)
                + "    rateLimitBytesPerSec: 1000000\n"); // slow enough that a kill always lands mid-stream
        try (LogWriter w = new LogWriter(log, "crash"); KafkaLines k = RUNNING.cluster().lines(topic)) {
            w.write(20_000);
            Process p = startAgent(config, 1);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> k.poll().ledger().distinctLines() > 2_000);
                for (int i = 0; i < 10; i++) {
                    w.write(2_000); // still writing while it is read
                }
                p.destroyForcibly().waitFor();
            } finally {
                p.destroyForcibly();
            }
            Map<Long, Long> checkpointAtKill = checkpoints();
            long before = k.poll().ledger().distinctLines();
            assertThat(before).as("killed mid-stream, not after everything").isLessThan(40_000);

            Files.move(log, logs.resolve("app.log.1"), StandardCopyOption.ATOMIC_MOVE);
            w.write(1_000);
            w.reopen();
            w.write(5_000);

            Process p2 = startAgent(config, 2);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> k.poll().ledger().distinctLines() > before + 5_000);
                w.write(5_000);
                p2.destroyForcibly().waitFor();
            } finally {
                p2.destroyForcibly();
            }
            Process p3 = startAgent(config, 3);
            try {
                List<String> expected = w.written();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                        .untilAsserted(() -> assertThat(k.poll().ledger().missing(expected)).isEmpty());
                k.ledger().assertExactlyOnceAfterDedup(expected);
                // only data after the checkpoint is sent again: what was acknowledged and saved never is
                for (LineIdentity id : k.ledger().duplicatedIdentities()) {
                    Long cp = checkpointAtKill.get(id.fingerprint());
                    if (cp != null) {
                        assertThat(id.offset()).as("re-sent line %s was checkpointed before the first kill", id).isGreaterThanOrEqualTo(cp);
                    }
                }
                System.out.printf("CrashIT: %d lines, %d deliveries, %d re-sent duplicates%n", expected.size(),
                        k.ledger().deliveries(), k.ledger().duplicates());
            } finally {
                p3.destroy();
                p3.waitFor();
            }
            assertThat(p3.exitValue()).as("SIGTERM: clean stop").isIn(0, 143);
            assertThat(new CheckpointFile(dir.resolve("data")).load().entries()).isNotEmpty();
        }
    }
}
