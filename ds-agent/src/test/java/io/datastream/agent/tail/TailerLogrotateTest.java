package io.datastream.agent.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.agent.checkpoint.CheckpointEntry;
import io.datastream.agent.fingerprint.XxHash64;
import io.datastream.agent.testing.LineLedger;
import io.datastream.agent.testing.LogWriter;
import io.datastream.protocol.batch.Batch;
import io.datastream.protocol.batch.ReservedHeaders;
import io.datastream.registry.task.EventTime;
import io.datastream.registry.task.TaskSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What logrotate does to files, against a real tailer and discovery: files followed from first
 * sight (even empty) through renames out of the glob, copytruncate faster than discovery,
 * compressed generations skipped and counted or read decompressed under their original identity.
 */
class TailerLogrotateTest {
    /** Discovery scans once at start and never again (no inotify): everything after is up to the tailer. */
    private static final String NO_RESCAN = "discovery: {intervalMs: 600000, watch: false}\n";

    @TempDir
    Path dir;

    private Path logs() throws IOException {
        return Files.createDirectories(dir.resolve("logs"));
    }

    private TaskSpec task(String id, String glob, TaskSpec.CompressedFiles compressed) throws IOException {
        return new TaskSpec(id, List.of(logs() + "/" + glob), null, "logs", null, null, null, null, null, null, null, null, null, compressed);
    }

    private static void awaitAll(TailerFixture fx, List<String> expected) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(fx.ledger.missing(expected)).isEmpty());
    }

    @Test
    void anEmptyFileAtStartIsFollowedThroughARenameOutOfTheGlobAndItsDeletion() throws Exception {
        Path log = logs().resolve("access.log");
        try (LogWriter w = new LogWriter(log, "empty");
             TailerFixture fx = new TailerFixture(NO_RESCAN, dir.resolve("data"), List.of(), new LineLedger(), task("app", "*.log", null))) {
            // the only scan sees the file empty; the tailer holds it open before it has a fingerprint
            await().atMost(Duration.ofSeconds(10)).until(() -> fx.snapshot().openFiles() == 1);
            assertThat(fx.files()).extracting(FileStatus::state).containsExactly("fingerprinting");
            w.write(300);
            Files.move(log, logs().resolve("access.log.1"), StandardCopyOption.ATOMIC_MOVE);
            w.write(20); // the writer's late lines, before it reopens
            Files.delete(logs().resolve("access.log.1")); // compressed away by the next rotation
            awaitAll(fx, w.written());
            fx.ledger.assertExactlyOnceAfterDedup(w.written());
            assertThat(fx.snapshot().tasks().get("app").droppedBytes()).isZero();
        }
    }

    @Test
    void aShortFileRenamedOutOfTheGlobBeforeItIsFingerprintedIsReadThere() throws Exception {
        Path log = logs().resolve("access.log");
        try (LogWriter w = new LogWriter(log, "short");
             TailerFixture fx = new TailerFixture("files: {maxOpen: 4, shortFileWaitMs: 600000, releaseAfterMs: 300, fastPollMs: 5}\n",
                     dir.resolve("data"), List.of(), new LineLedger(), task("app", "*.log", null))) {
            w.write(1); // shorter than the fingerprint: waits (for ever here) for more bytes while in the glob
            await().atMost(Duration.ofSeconds(10)).until(() -> fx.snapshot().openFiles() == 1);
            Files.move(log, logs().resolve("access.log.1"), StandardCopyOption.ATOMIC_MOVE);
            w.write(1);
            w.reopen();
            // rotated away, it is fingerprinted as it is once it stops changing for releaseAfterMs (shortFileWaitMs is for files that may grow)
            Files.delete(logs().resolve("access.log.1"));
            awaitAll(fx, w.written());
            fx.ledger.assertExactlyOnceAfterDedup(w.written());
        }
    }

    @Test
    void copytruncateFasterThanDiscoveryWithACopyOutsideTheGlobLosesNothing() throws Exception {
        Path log = logs().resolve("access.log");
        TaskSpec slowTask = new TaskSpec("app", List.of(logs() + "/*.log"), null, "logs", null, null, null, null, null, 100_000L, null,
                null, null, null);
        try (LogWriter w = new LogWriter(log, "ct");
             TailerFixture fx = new TailerFixture(NO_RESCAN, dir.resolve("data"), List.of(), new LineLedger(), slowTask)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> fx.snapshot().openFiles() == 1);
            for (int r = 1; r <= 5; r++) {
                List<String> lines = w.write(1_000); // 85 KB: at 100 KB/s the truncation comes before most of it was read
                await().atMost(Duration.ofSeconds(10)).until(() -> fx.ledger.contents().contains(lines.get(0)));
                Files.copy(log, logs().resolve("access.log." + r));
                try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
                    ch.truncate(0);
                }
                awaitAll(fx, w.written());
            }
            w.write(100);
            awaitAll(fx, w.written());
            fx.ledger.assertExactlyOnceAfterDedup(w.written());
            assertThat(fx.snapshot().tasks().get("app").droppedBytesByReason()).isEmpty();
        }
    }

    @Test
    void compressedFilesAreSkippedAndCountedOnce() throws Exception {
        Path log = logs().resolve("access.log");
        Path gz = logs().resolve("access.log.2.gz");
        List<String> old = gzip(gz, "old", 500);
        try (LogWriter w = new LogWriter(log, "plain");
             TailerFixture fx = new TailerFixture("", dir.resolve("data"), List.of(), new LineLedger(), task("app", "access.log*", null))) {
            awaitAll(fx, w.write(200));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(fx.snapshot().tasks().get("app").droppedBytesByReason()).containsEntry("compressed", Files.size(gz)));
            // more scans do not count it again
            long scans = 4;
            for (int i = 0; i < scans; i++) {
                awaitAll(fx, w.write(10));
            }
            TaskReport r = fx.snapshot().tasks().get("app");
            assertThat(r.droppedBytesByReason()).containsExactly(Map.entry("compressed", Files.size(gz)));
            assertThat(r.droppedBytes()).isEqualTo(Files.size(gz));
            assertThat(r.skipped()).isEqualTo(1);
            assertThat(fx.files()).extracting(FileStatus::state).contains("skipped");
            fx.ledger.assertExactlyOnceAfterDedup(w.written());
            assertThat(fx.ledger.missing(old)).hasSameSizeAs(old);
            assertThat(fx.ledger.contents()).allSatisfy(c -> assertThat(c).startsWith("2024-05-01T"));
        }
    }

    @Test
    void decompressedGenerationsKeepTheirIdentityAndContinueFromTheCheckpoint() throws Exception {
        Path log = logs().resolve("access.log");
        LineLedger ledger = new LineLedger();
        List<String> expected = new ArrayList<>();
        long offset;
        long stream;
        long end;
        try (LogWriter w = new LogWriter(log, "gen")) {
            try (TailerFixture fx = new TailerFixture("", dir.resolve("data"), List.of(), ledger,
                    task("app", "access.log*", TaskSpec.CompressedFiles.DECOMPRESS))) {
                expected.addAll(w.write(300));
                awaitAll(fx, expected);
                byte[] head = Arrays.copyOf(Files.readAllBytes(log), fx.config.files().fingerprintBytes());
                stream = XxHash64.hash(head, 0, head.length, 0);
                offset = fx.outlet.delivered().get("app/" + Long.toHexString(stream));
                assertThat(offset).isEqualTo(Files.size(log));
            }
            // while the agent is down: more lines, then two rotations (delaycompress): access.log -> .1 -> .2.gz
            expected.addAll(w.write(200));
            end = Files.size(log);
            Files.move(log, logs().resolve("access.log.1"));
            w.reopen();
            expected.addAll(w.write(50));
            gzipFile(logs().resolve("access.log.1"), logs().resolve("access.log.2.gz"));
            Files.delete(logs().resolve("access.log.1"));
        }
        CheckpointEntry cp = new CheckpointEntry("app", stream, stream, 256, offset, -1, -1, log.toString(), System.currentTimeMillis());
        try (TailerFixture fx = new TailerFixture("", dir.resolve("data"), List.of(cp), ledger,
                task("app", "access.log*", TaskSpec.CompressedFiles.DECOMPRESS))) {
            awaitAll(fx, expected);
            ledger.assertExactlyOnceAfterDedup(expected);
            assertThat(ledger.duplicates()).as("nothing before the checkpoint is read again").isZero();
            assertThat(fx.outlet.delivered()).containsEntry("app/" + Long.toHexString(stream), end);
            assertThat(fx.snapshot().tasks().get("app").droppedBytes()).isZero();
        }
    }

    @Test
    void aGzipMadeFromAFileBeingReadTakesOverItsStream() throws Exception {
        Path log = logs().resolve("access.log");
        try (LogWriter w = new LogWriter(log, "live");
             TailerFixture fx = new TailerFixture("", dir.resolve("data"), List.of(), new LineLedger(),
                     task("app", "access.log*", TaskSpec.CompressedFiles.DECOMPRESS))) {
            awaitAll(fx, w.write(400));
            Files.move(log, logs().resolve("access.log.1"));
            w.write(100);
            w.reopen();
            w.write(100);
            gzipFile(logs().resolve("access.log.1"), logs().resolve("access.log.2.gz"));
            Files.delete(logs().resolve("access.log.1"));
            awaitAll(fx, w.written());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(fx.files()).extracting(FileStatus::path).contains(logs().resolve("access.log.2.gz").toString()));
            w.write(10);
            awaitAll(fx, w.written());
            fx.ledger.assertExactlyOnceAfterDedup(w.written());
            assertThat(fx.snapshot().tasks().get("app").droppedBytes()).isZero();
        }
    }

    @Test
    void twoTasksOnOneFileAreTwoStreamsThatEachDeliverEveryLine() throws Exception {
        Path log = logs().resolve("access.log");
        TaskSpec warehouse = task("warehouse", "*.log", null);
        TaskSpec search = new TaskSpec("search", List.of(logs() + "/access.log"), null, "search", null, null, null, null, null, null,
                null, null, new EventTime(EventTime.Format.PATTERN, "dd/MMM/yyyy:HH:mm:ss Z", "Europe/Berlin"), null);
        try (LogWriter w = new LogWriter(log, "two");
             TailerFixture fx = new TailerFixture("", dir.resolve("data"), List.of(), new LineLedger(), warehouse, search)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> fx.snapshot().openFiles() == 2); // each task holds the (empty) file
            w.write(500);
            Files.move(log, logs().resolve("access.log.1"));
            w.write(50);
            w.reopen();
            w.write(200);
            for (String t : List.of("warehouse", "search")) {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(fx.outlet.ledger(t).missing(w.written())).isEmpty());
                fx.outlet.ledger(t).assertExactlyOnceAfterDedup(w.written());
            }
            assertThat(fx.outlet.gaps()).isEmpty();
            // each task has its own checkpoint entry (task, stream), at the end of each file
            TailerSnapshot r = fx.snapshot();
            assertThat(r.tasks().get("warehouse").linesRead()).isEqualTo(750);
            assertThat(r.tasks().get("search").linesRead()).isEqualTo(750);
            List<Batch> batches = fx.outlet.parsedBatches();
            assertThat(batches).extracting(Batch::taskId).contains("warehouse", "search");
            for (Batch b : batches) {
                if (b.taskId().equals("warehouse")) {
                    assertThat(b.headers()).containsEntry(ReservedHeaders.TIME_FORMAT, "auto").doesNotContainKeys(
                            ReservedHeaders.TIME_PATTERN, ReservedHeaders.TIME_ZONE);
                } else {
                    assertThat(b.headers()).containsEntry(ReservedHeaders.TOPIC, "search")
                            .containsEntry(ReservedHeaders.TIME_FORMAT, "pattern")
                            .containsEntry(ReservedHeaders.TIME_PATTERN, "dd/MMM/yyyy:HH:mm:ss Z")
                            .containsEntry(ReservedHeaders.TIME_ZONE, "Europe/Berlin");
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static List<String> gzip(Path to, String tag, int n) throws IOException {
        Path plain = to.resolveSibling(to.getFileName() + ".src");
        List<String> lines;
        try (LogWriter w = new LogWriter(plain, tag)) {
            lines = w.write(n);
        }
        gzipFile(plain, to);
        Files.delete(plain);
        return lines;
    }

    private static void gzipFile(Path from, Path to) throws IOException {
        Path tmp = to.resolveSibling(".tmp-" + to.getFileName());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp))) {
            Files.copy(from, out);
        }
        Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE);
    }
}
