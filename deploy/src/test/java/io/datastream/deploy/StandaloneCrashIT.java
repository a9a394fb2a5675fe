package io.datastream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.testkit.net.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the whole standalone process mid-stream, then a restart on the same data
 * directory: every line written ends up in the committed output exactly once.
 */
class StandaloneCrashIT {

    @Test
    void killMinus9AndRestartKeepsEveryLineExactlyOnce(@TempDir Path dir) throws Exception {
        List<String> args = List.of("standalone", "--data-dir", dir.toString(),
                "--zookeeper-port", String.valueOf(FreePorts.next()),
                "--kafka-port", String.valueOf(FreePorts.next()),
                "--kafka-controller-port", String.valueOf(FreePorts.next()),
                "--router-port", String.valueOf(FreePorts.next()),
                "--router-http-port", String.valueOf(FreePorts.next()),
                "--control-port", String.valueOf(FreePorts.next()),
                "--checkpoint-interval", "1000", "--progress-interval", "0");
        Path logs = dir.resolve("logs");
        Path out = dir.resolve("out");
        List<String> written = new ArrayList<>();

        Process first = launch(args, dir.resolve("run1.log"));
        try {
            awaitReady(dir.resolve("run1.log"));
            for (int round = 0; round < 6; round++) {
                written.addAll(append(logs.resolve("app.log"), "app", round * 1_000, (round + 1) * 1_000));
                written.addAll(append(logs.resolve("web/access.log"), "web", round * 500, (round + 1) * 500));
            }
            // some output is committed, and more is in flight: now kill -9
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !OutputFiles.committedLines(out).isEmpty());
        } finally {
            first.destroyForcibly();
            first.waitFor(30, TimeUnit.SECONDS);
        }
        List<String> beforeKill = OutputFiles.committedLines(out);
        assertThat(beforeKill).doesNotHaveDuplicates();
        assertThat(written).containsAll(beforeKill);

        // written while down
        written.addAll(append(logs.resolve("app.log"), "app", 6_000, 7_000));

        Process second = launch(args, dir.resolve("run2.log"));
        try {
            awaitReady(dir.resolve("run2.log"));
            // the sink restored its offsets and de-duplication state from the checkpoint the kill left
            assertThat(Files.readString(dir.resolve("run2.log"), StandardCharsets.UTF_8)).contains("sink       resuming from");
            written.addAll(append(logs.resolve("web/access.log"), "web", 3_000, 3_500));
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> OutputFiles.committedLines(out).size() >= written.size());
            List<String> committed = OutputFiles.committedLines(out);
            assertThat(committed).doesNotHaveDuplicates();
            assertThat(committed).containsExactlyInAnyOrderElementsOf(written);
        } finally {
            second.destroy();
            if (!second.waitFor(60, TimeUnit.SECONDS)) {
                second.destroyForcibly();
            }
        }
    }

    private static Process launch(List<String> args, Path console) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-XX:+UseSerialGC", "-cp", cp, Ds.class.getName()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(console.toFile()).start();
    }

    private static void awaitReady(Path console) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() ->
                Files.exists(console) && Files.readString(console, StandardCharsets.UTF_8).contains("ready"));
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
