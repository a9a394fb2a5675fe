package io.datastream.agent.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.agent.testing.LineLedger;
import io.datastream.agent.testing.LogWriter;
import io.datastream.registry.task.Multiline;
import io.datastream.registry.task.TaskSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TailerBehaviourTest {
    @TempDir
    Path dir;

    private Path logs() throws IOException {
        return Files.createDirectories(dir.resolve("logs"));
    }

    private static TaskSpec task(String id, String glob, Multiline ml, Integer maxLine, TaskSpec.OverLongLines mode,
                                 TaskSpec.StartPosition start) {
        return new TaskSpec(id, List.of(glob), null, "topic-" + id, Map.of("team", "core"), ml, maxLine, mode, start, null, null, null, null, null);
    }

    private static void awaitAll(TailerFixture fx, List<String> expected) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(fx.ledger.missing(expected)).isEmpty());
    }

    @Test
    void multilineRecordsAreJoinedAndTheLastOneIsFlushedAfterItsTimeout() throws Exception {
        Path log = logs().resolve("app.log");
        TaskSpec t = task("ml", log.toString(), new Multiline("^\\d{4}-", 100, 300L), null, null, null);
        try (TailerFixture fx = new TailerFixture("", dir.resolve("data"), List.of(), new LineLedger(), t)) {
            Files.writeString(log, "2024-01-01 ERROR boom\n  at a.b(C.java:1)\n  at d.e(F.java:2)\n2024-01-01 INFO ok\n"
                    + "2024-01-01 WARN last\n  caused by x\n");
            List<String> expected = List.of("2024-01-01 ERROR boom\n  at a.b(C.java:1)\n  at d.e(F.java:2)", "2024-01-01 INFO ok",
                    "2024-01-01 WARN last\n  caused by x");
            awaitAll(fx, expected);
            fx.ledger.assertExactlyOnceAfterDedup(expected);
            assertThat(fx.ledger.distinctLines()).isEqualTo(3);
        }
    }

    @Test
    void aThousandFilesAtOnceWithFewHandles() throws Exception {
        Path logs = logs();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < 20; k++) {
                String line = "file " + i + " line " + k + " some payload to make it longer than the fingerprint";
                expected.add(line);
                sb.append(line).append('\n');
            }
            Files.writeString(logs.resolve("f" + i + ".log"), sb.toString());
        }
        TaskSpec t = task("many", logs + "/*.log", null, null, null, null);
        AtomicInteger maxOpen = new AtomicInteger();
        try (TailerFixture fx = new TailerFixture("files: {maxOpen: 64}\n", dir.resolve("data"), List.of(), new LineLedger(), t)) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                maxOpen.accumulateAndGet(fx.snapshot().openFiles(), Math::max);
                assertThat(fx.ledger.missing(expected)).isEmpty();
            });
            fx.ledger.assertExactlyOnceAfterDedup(expected);
            assertThat(maxOpen.get()).as("open files stay bounded").isLessThanOrEqualTo(64);
            assertThat(fx.snapshot().tasks().get("many").files()).isEqualTo(1000);
        }
    }

    @Test
    void aShortFileIsReadAfterItWasQuietAndKeepsItsIdentityWhenItGrows() throws Exception {
        Path log = logs().resolve("short.log");
        Files.writeString(log, "tiny\n");
        TaskSpec t = task("short", log.toString(), null, null, null, null);
        try (TailerFixture fx = new TailerFixture("", dir.resolve("data"), List.of(), new LineLedger(), t)) {
            awaitAll(fx, List.of("tiny"));
            List<String> expected = new ArrayList<>(List.of("tiny"));
            for (int i = 0; i < 50; i++) {
                String line = "later line " + i + " with enough bytes to pass the fingerprint length easily";
                expected.add(line);
                Files.writeString(log, line + "\n", StandardOpenOption.APPEND);
            }
            awaitAll(fx, expected);
            fx.ledger.assertExactlyOnceAfterDedup(expected);
            assertThat(fx.outlet.delivered()).as("one stream: the short fingerprint stays the identity").hasSize(1);
        }
    }

    @Test
    void startPositionEndSkipsWhatIsThereAtFirstButReadsNewFilesFromTheStart() throws Exception {
        Path logs = logs();
        Path old = logs.resolve("old.log");
        Files.writeString(old, "old line 1 that the task must not read because it starts at the end\nold line 2\npartial");
        TaskSpec t = task("end", logs + "/*.log", null, null, null, TaskSpec.StartPosition.END);
        try (TailerFixture fx = new TailerFixture("", dir.resolve("data"), List.of(), new LineLedger(), t)) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(fx.files()).extracting(FileStatus::state).doesNotContain("fingerprinting"));
            Files.writeString(old, " line end\nnew line in old file\n", StandardOpenOption.APPEND);
            Files.writeString(logs.resolve("new.log"), "first line of a file created later, read from its beginning\n");
            List<String> expected = List.of("partial line end", "new line in old file",
                    "first line of a file created later, read from its beginning");
            awaitAll(fx, expected);
            assertThat(fx.ledger.contents()).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void hugeLinesAndBinaryFilesAreHandledWithBoundedMemoryAndCounted() throws Exception {
        Path logs = logs();
        Path big = logs.resolve("big.log");
        try (RandomAccessFile raf = new RandomAccessFile(big.toFile(), "rw")) {
            raf.write("before\n".getBytes(StandardCharsets.UTF_8));
            raf.setLength(7 + 64L * 1024 * 1024); // a 64 MiB run of zero bytes without a newline
            raf.seek(raf.length());
            raf.write("\nafter\n".getBytes(StandardCharsets.UTF_8));
        }
        byte[] binary = new byte[300_000];
        new java.util.Random(1).nextBytes(binary);
        Files.write(logs.resolve("bin.log"), binary);
        TaskSpec t = task("big", logs + "/*.log", null, 4096, TaskSpec.OverLongLines.TRUNCATE, null);
        try (TailerFixture fx = new TailerFixture("", dir.resolve("data"), List.of(), new LineLedger(), t)) {
            awaitAll(fx, List.of("before", "after"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                TaskReport r = fx.snapshot().tasks().get("big");
                assertThat(r.droppedLines()).isGreaterThanOrEqualTo(1);
                assertThat(r.droppedBytes()).isGreaterThanOrEqualTo(64L * 1024 * 1024 - 4096);
                assertThat(r.bytesRead()).isGreaterThanOrEqualTo(64L * 1024 * 1024 + 14);
            });
            assertThat(fx.ledger.contents()).contains("before", "after");
            assertThat(fx.ledger.contents()).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(4096));
        }
    }

    @Test
    void aGlobMatchingMoreFilesThanTheLimitIsReported() throws Exception {
        Path logs = logs();
        for (int i = 0; i < 30; i++) {
            Files.writeString(logs.resolve("f" + i + ".log"), "line of file " + i + " long enough for a fingerprint of its own\n");
        }
        TaskSpec t = task("lim", logs + "/*.log", null, null, null, null);
        try (TailerFixture fx = new TailerFixture("discovery: {intervalMs: 250, maxFilesPerTask: 10}\n", dir.resolve("data"),
                List.of(), new LineLedger(), t)) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                TaskReport r = fx.snapshot().tasks().get("lim");
                assertThat(r.overLimit()).isTrue();
                assertThat(r.files()).isEqualTo(10);
                assertThat(r.lastError()).contains("maxFilesPerTask");
            });
        }
    }

    @Test
    void aChangedTaskKeepsItsPositionsAndSendsTheNewTopic() throws Exception {
        Path log = logs().resolve("app.log");
        TaskSpec t1 = task("chg", log.toString(), null, null, null, null);
        try (TailerFixture fx = new TailerFixture("", dir.resolve("data"), List.of(), new LineLedger(), t1);
             LogWriter w = new LogWriter(log, "h")) {
            awaitAll(fx, w.write(100));
            TaskSpec t2 = new TaskSpec("chg", List.of(log.toString()), null, "other-topic", null, null, null, null, null, null, null, null, null, null);
            fx.tailer.setTasks(Map.of("chg", t2));
            fx.discovery.setTasks(Map.of("chg", t2));
            awaitAll(fx, w.write(100));
            fx.ledger.assertExactlyOnceAfterDedup(w.written());
            assertThat(fx.ledger.duplicates()).isZero();
        }
    }

    @Test
    void aParkedTaskIsRewoundToWhatWasAcknowledgedAndRetried() throws Exception {
        Path log = logs().resolve("app.log");
        TaskSpec t = task("park", log.toString(), null, null, null, null);
        try (TailerFixture fx = new TailerFixture("send: {parkRetryMs: 500}\n", dir.resolve("data"), List.of(), new LineLedger(), t);
             LogWriter w = new LogWriter(log, "p")) {
            List<String> first = w.write(100);
            awaitAll(fx, first);
            long acked = fx.outlet.delivered().values().iterator().next();
            long stream = Long.parseUnsignedLong(fx.outlet.delivered().keySet().iterator().next().split("/")[1], 16);
            fx.outlet.hold = true;
            w.write(100);
            await().atMost(Duration.ofSeconds(10)).until(() -> fx.snapshot().tasks().get("park").linesRead() == 200);
            fx.outlet.dropHeld(); // as if a router rejected them
            fx.tailer.park("park", 0, Map.of(stream, acked), "REJECTED NO_ROUTE: test");
            await().atMost(Duration.ofSeconds(5)).until(() -> fx.snapshot().tasks().get("park").state().equals("parked"));
            assertThat(fx.snapshot().tasks().get("park").lastError()).contains("NO_ROUTE");
            fx.outlet.hold = false;
            awaitAll(fx, w.written());
            fx.ledger.assertExactlyOnceAfterDedup(w.written());
            assertThat(fx.snapshot().tasks().get("park").state()).isEqualTo("running");
        }
    }
}
