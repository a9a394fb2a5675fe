package io.datastream.it.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.it.support.DsProcess;
import io.datastream.it.support.Tiers;
import io.datastream.testkit.kafka.TopicTally;
import io.datastream.testkit.net.FreePorts;
import io.datastream.testkit.output.CommittedOutput;
import java.io.IOException;
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
 * kill -9 of the whole standalone process mid-stream, then a restart on the same data
 * directory: every line written ends up in the committed output exactly once, and Kafka holds
 * every line under one identity (re-sends after the kill included).
 */
class StandaloneCrashIT {

    @Test
    void killMinus9AndRestartKeepsEveryLineExactlyOnce(@TempDir Path dir) throws Exception {
        int kafkaPort = FreePorts.next();
        List<String> args = List.of("standalone", "--data-dir", dir.toString(),
                "--zookeeper-port", String.valueOf(FreePorts.next()),
                "--kafka-port", String.valueOf(kafkaPort),
                "--kafka-controller-port", String.valueOf(FreePorts.next()),
                "--router-port", String.valueOf(FreePorts.next()),
                "--router-http-port", String.valueOf(FreePorts.next()),
                "--control-port", String.valueOf(FreePorts.next()),
                "--agent-http-port", String.valueOf(FreePorts.next()),
                "--sink-metrics-port", String.valueOf(FreePorts.next()),
                "--checkpoint-interval", "1000", "--progress-interval", "0");
        Path logs = dir.resolve("logs");
        Path out = dir.resolve("out");
        List<String> written = new ArrayList<>();

        DsProcess standalone = DsProcess.start("standalone", dir.resolve("console.log"), "768m", args);
        try {
            standalone.awaitConsole("ready", Duration.ofMinutes(2));
            for (int round = 0; round < 6; round++) {
                written.addAll(append(logs.resolve("app.log"), "app", round * 1_000, (round + 1) * 1_000));
                written.addAll(append(logs.resolve("web/access.log"), "web", round * 500, (round + 1) * 500));
            }
            // some output is committed, and more is in flight: now kill -9
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !CommittedOutput.lines(out).isEmpty());
            standalone.kill();
            List<String> beforeKill = CommittedOutput.lines(out);
            assertThat(beforeKill).doesNotHaveDuplicates();
            assertThat(written).containsAll(beforeKill);

            // written while down
            written.addAll(append(logs.resolve("app.log"), "app", 6_000, 7_000));

            standalone.start();
            standalone.awaitConsole("ready", Duration.ofMinutes(2));
            // the sink restored its offsets and de-duplication state from the checkpoint the kill left
            assertThat(standalone.console()).contains("sink       resuming from");
            written.addAll(append(logs.resolve("web/access.log"), "web", 3_000, 3_500));
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> CommittedOutput.lines(out).size() >= written.size());
            TopicTally kafka = TopicTally.read("localhost:" + kafkaPort, "ds-default", Duration.ofMinutes(1));
            new Tiers("standalone kill -9").reconcile(written, kafka, CommittedOutput.lines(out), true);
        } finally {
            standalone.stop();
        }
    }

    private static List<String> append(Path file, String name, int from, int to) throws IOException {
        Files.createDirectories(file.getParent());
        List<String> lines = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            String line = name + " " + i + " " + "x".repeat(40 + i % 60);
            lines.add(line);
            sb.append(line).append('\n');
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return lines;
    }
}
