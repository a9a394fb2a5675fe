package io.datastream.agent.tail;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.agent.AgentConfig;
import io.datastream.agent.batch.SendWindow;
import io.datastream.agent.discovery.Found;
import io.datastream.agent.discovery.ScanResult;
import io.datastream.agent.fingerprint.FileStat;
import io.datastream.agent.testing.CollectingOutlet;
import io.datastream.agent.testing.LineLedger;
import io.datastream.agent.testing.LogWriter;
import io.datastream.registry.task.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tailer driven round by round with {@link Tailer#doWork} and a manual clock, on the test's
 * thread: what a rotation does to a file, step by step, with no sleeps and no tailer thread. The
 * scans are the ones discovery would report (files.releaseAfterMs is 400 ms here).
 */
class TailerDoWorkTest {
    @TempDir
    Path dir;
    private long now = 1_000_000;
    private Path log;
    private final LineLedger ledger = new LineLedger();
    private AgentConfig config;
    private Tailer tailer;
    private TaskSpec spec;

    @BeforeEach
    void start() throws Exception {
        config = AgentConfig.fromYaml(TailerFixture.merge(TailerFixture.FAST_TIMINGS + "dataDir: " + dir.resolve("data") + "\n",
                "batch: {compressionThreads: 0}\n")); // each round's batches reach the outlet in that round
        SendWindow window = new SendWindow(config.send().windowBatches(), config.send().windowBytes());
        tailer = new Tailer(config, new CollectingOutlet(window, ledger), window, List.of(), () -> now);
        log = Files.createDirectories(dir.resolve("logs")).resolve("app.log");
        spec = new TaskSpec("app", List.of(dir.resolve("logs") + "/*.log"), null, "logs", null, null, null, null, null, null, null, null, null,
                null);
        tailer.setTasks(Map.of("app", spec));
    }

    @AfterEach
    void stop() {
        tailer.close();
    }

    private void scan(Path... files) throws Exception {
        List<Found> found = new ArrayList<>();
        for (Path p : files) {
            found.add(new Found(p, FileStat.of(p)));
        }
        tailer.onScan(new ScanResult(spec, found, false, List.of()));
    }

    /** {@code millis} of rounds, 10 ms apart; true if any round read. */
    private boolean run(long millis) {
        boolean read = false;
        for (long t = 0; t < millis; t += 10) {
            now += 10;
            read |= tailer.doWork(now);
        }
        return read;
    }

    private List<FileStatus> files() {
        CompletableFuture<List<FileStatus>> f = tailer.fileStatuses();
        tailer.doWork(now);
        return f.getNow(null);
    }

    private FileStatus status(Path p) {
        return files().stream().filter(s -> s.path().equals(p.toString())).findFirst().orElse(null);
    }

    /** A writer of logs/app.log that wrote {@code lines} lines, listed by a scan. */
    private LogWriter appLog(String tag, int lines) throws Exception {
        LogWriter w = new LogWriter(log, tag);
        w.write(lines);
        scan(log);
        return w;
    }

    @Test
    void aRoundSaysWhetherItRead() throws Exception {
        try (LogWriter w = appLog("rounds", 100)) {
            assertThat(run(200)).isTrue();
            assertThat(ledger.missing(w.written())).isEmpty();
            assertThat(run(200)).as("nothing new").isFalse();
            w.write(10);
            assertThat(run(100)).isTrue();
            ledger.assertExactlyOnceAfterDedup(w.written());
        }
    }

    @Test
    void aFileRenamedWithinTheGlobsHasItsPartialLastLineFlushedOnceQuietAndIsThenClosed() throws Exception {
        Path rotated = dir.resolve("logs/app.1.log");
        try (LogWriter w = appLog("renamed", 50)) {
            w.writeRaw("a last line without its newline");
            run(200);
            assertThat(ledger.missing(w.written())).isEmpty();
            assertThat(ledger.contents()).doesNotContain("a last line without its newline");

            Files.move(log, rotated);
            w.reopen(); // create mode: a new app.log
            List<String> second = w.write(20);
            scan(rotated, log);
            run(config.files().releaseAfterMs() - 20);
            assertThat(ledger.containsAll(second)).isTrue();
            assertThat(ledger.contents()).as("not quiet long enough yet").doesNotContain("a last line without its newline");
            assertThat(status(rotated).state()).isNotEqualTo("inactive");

            run(100);
            assertThat(ledger.contents()).contains("a last line without its newline");
            assertThat(status(rotated).state()).as("read to its end and closed; still followed").isEqualTo("inactive");
            assertThat(status(log).state()).as("the new file: drained and quiet for files.slowAfterMs, still open").isEqualTo("slow");
        }
    }

    @Test
    void aFileDeletedWhileOpenIsReadToItsEndAndReleased() throws Exception {
        try (LogWriter w = appLog("deleted", 50)) {
            run(100);
            List<String> last = w.write(30);
            Files.delete(log); // the tailer's handle keeps the inode readable
            scan();
            assertThat(status(log).state()).isEqualTo("rotated");
            run(config.files().releaseAfterMs() + 100);
            assertThat(ledger.containsAll(last)).isTrue();
            assertThat(files()).isEmpty();
            ledger.assertExactlyOnceAfterDedup(w.written());
        }
    }
}
