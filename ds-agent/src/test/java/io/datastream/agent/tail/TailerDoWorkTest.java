package io.datastream.agent.tail;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.agent.AgentConfig;
import io.datastream.agent.batch.SendWindow;
import io.datastream.agent.checkpoint.MinuteCounts;
import io.datastream.agent.checkpoint.Progress;
import io.datastream.agent.checkpoint.StreamInfo;
import io.datastream.agent.testing.CollectingOutlet;
import io.datastream.agent.testing.LineLedger;
import io.datastream.agent.testing.LogWriter;
import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.ProtocolLimits;
import io.datastream.protocol.batch.Batch;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tailer driven round by round with {@link Tailer#doWork} and a manual clock, on the test's
 * thread: what a rotation does to a file, step by step, with no sleeps and no tailer thread. The
 * scans are the ones discovery would report (files.releaseAfterMs is 400 ms here). What the tailer
 * pushes for the checkpointer is recorded with the clock at each push.
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
    /** What the tailer pushed for the checkpointer, with the clock when it did. */
    private final List<Pushed> pushes = new ArrayList<>();
    /** At each batch handed to the outlet: lines pushed for the checkpointer so far, lines handed on so far (re-reads not counted). */
    private final List<long[]> handedOn = new ArrayList<>();
    private long linesHandedOn;

    private record Pushed(long at, Progress<StreamInfo> progress) {
        long lines(long minute) {
            return progress.counts().stream().filter(c -> c.minute() == minute).mapToLong(MinuteCounts::linesRead).sum();
        }
    }

    @BeforeEach
    void start() throws Exception {
        config = AgentConfig.fromYaml(TailerFixture.merge(TailerFixture.FAST_TIMINGS + "dataDir: " + dir.resolve("data") + "\n",
                "batch: {compressionThreads: 0}\n")); // each round's batches reach the outlet in that round
        SendWindow window = new SendWindow(config.send().windowBatches(), config.send().windowBytes());
        CollectingOutlet collecting = new CollectingOutlet(window, ledger);
        tailer = new Tailer(config, b -> {
            linesHandedOn += b.reread() ? 0 : b.records();
            handedOn.add(new long[] {pushes.stream().mapToLong(p -> p.progress().counts().stream().mapToLong(MinuteCounts::linesRead).sum()).sum(),
                linesHandedOn});
            collecting.submit(b);
        }, window, List.of(), () -> now);
        tailer.progressTo(p -> pushes.add(new Pushed(now, p)));
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
        TailerFixture.scan(tailer, spec, List.of(files));
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
    void readCountsArePushedBeforeTheirBatchIsHandedOnAndSnapshotsTakeNone() throws Exception {
        long minute = Math.floorDiv(now, 60_000L);
        try (LogWriter w = appLog("pushed", 100)) {
            run(300);
            assertThat(ledger.missing(w.written())).isEmpty();
            assertThat(handedOn).as("batches handed on").isNotEmpty();
            assertThat(handedOn).as("each batch's lines were pushed for the checkpoint before it was handed on (lines pushed, lines handed on)")
                    .allSatisfy(h -> assertThat(h[0]).isGreaterThanOrEqualTo(h[1]));
            assertThat(pushes.stream().mapToLong(p -> p.lines(minute)).sum()).isEqualTo(100);
            assertThat(pushes).allSatisfy(p -> assertThat(p.progress().openMinute()).as("minutes not kept").isEqualTo(-1));
            long streamId = pushes.get(0).progress().items().iterator().next().streamId();
            run(500);
            int quiet = pushes.size();
            assertThat(run(500)).as("nothing new").isFalse();
            assertThat(pushes).as("nothing moved: no push").hasSize(quiet);

            w.write(10);
            run(50);
            assertThat(pushes).hasSize(quiet + 1);
            assertThat(pushes.get(quiet).lines(minute)).isEqualTo(10);
            // status snapshots take nothing: the next push has exactly the lines read after the last one
            List<String> more = w.write(20);
            List<Long> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                CompletableFuture<TailerSnapshot> snap = tailer.snapshot();
                tailer.doWork(now);
                seen.add(snap.getNow(null).tasks().get("app").linesRead());
            }
            assertThat(seen).as("a snapshot counts every line read so far, and takes none away").isSorted()
                    .allSatisfy(n -> assertThat(n).isBetween(110L, 130L));
            run(50);
            assertThat(ledger.containsAll(more)).isTrue();
            assertThat(pushes.stream().mapToLong(p -> p.lines(minute)).sum()).as("every line pushed once").isEqualTo(130);
            Progress<StreamInfo> last = pushes.get(pushes.size() - 1).progress();
            assertThat(last.items()).extracting(StreamInfo::streamId, StreamInfo::countedOffset)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(streamId, Files.size(log)));
            assertThat(handedOn).allSatisfy(h -> assertThat(h[0]).isGreaterThanOrEqualTo(h[1]));
        }
    }

    @Test
    void aNewOpenMinuteIsPushedAtOnceAndNewLinesWaitUntilACheckpointHoldsIt() throws Exception {
        tailer.persistKeys(-1); // as the agent does with minute reports on; no checkpoint had an open minute
        long minute1001 = 60_000L * 1001;
        now = minute1001 - 650;
        try (LogWriter w = appLog("minutes", 50)) {
            tailer.doWork(now);
            assertThat(pushes).extracting(p -> p.progress().openMinute()).as("announced in the first round").containsExactly(1000L);
            run(300);
            assertThat(ledger.contents()).as("no checkpoint holds minute 1000 yet").isEmpty();
            assertThat(pushes).as("nothing moved, the minute is announced").hasSize(1);

            tailer.persisted(1000); // the checkpointer wrote it
            run(100);
            assertThat(ledger.missing(w.written())).isEmpty();
            assertThat(pushes).as("the read is pushed at once: the interval had passed").hasSize(2);
            assertThat(pushes.get(1).lines(1000)).isEqualTo(50);
            w.write(10);
            run(20);
            assertThat(pushes).hasSize(3);
            assertThat(pushes.get(2).lines(1000)).isEqualTo(10);
            List<String> late = w.write(10); // read within the interval: pushed all the same, before its batch is handed on
            run(20);
            assertThat(ledger.containsAll(late)).isTrue();
            assertThat(pushes).hasSize(4);
            assertThat(pushes.get(3).lines(1000)).as("in the minute a checkpoint held").isEqualTo(10);
            assertThat(pushes.get(3).at() - pushes.get(2).at()).isLessThan(Tailer.PUSH_INTERVAL_MS);
            assertThat(now).isLessThan(minute1001);

            run(minute1001 - now); // up to the first round of minute 1001
            assertThat(pushes).hasSize(5);
            Pushed announced = pushes.get(4);
            assertThat(announced.at()).as("at once, in the minute's first round").isEqualTo(minute1001);
            assertThat(announced.progress().openMinute()).isEqualTo(1001);

            List<String> next = w.write(5);
            run(300);
            assertThat(ledger.containsAll(next)).as("waiting for a checkpoint with minute 1001").isFalse();
            tailer.persisted(1000);
            run(100);
            assertThat(ledger.containsAll(next)).as("an older minute written changes nothing").isFalse();
            tailer.persisted(1001);
            run(300);
            assertThat(ledger.missing(next)).isEmpty();
            assertThat(pushes.get(pushes.size() - 1).lines(1001)).isEqualTo(5);
            ledger.assertExactlyOnceAfterDedup(w.written());
        }
    }

    @Test
    void closingPushesWhatIsLeftAndKeepsTheLastSnapshot() throws Exception {
        long minute = Math.floorDiv(now, 60_000L);
        try (LogWriter w = appLog("closing", 40)) {
            run(300);
            List<String> last = w.write(7);
            run(30);
            assertThat(ledger.containsAll(last)).isTrue();
            int before = pushes.size();
            assertThat(pushes.get(before - 1).lines(minute)).as("pushed before its batch was handed on").isEqualTo(7);
            tailer.close();
            assertThat(pushes).as("a last push when it stops").hasSize(before + 1);
            assertThat(pushes.stream().mapToLong(p -> p.lines(minute)).sum()).isEqualTo(47);
            assertThat(tailer.snapshot().getNow(null).tasks().get("app").linesRead()).as("after it stopped: the last state").isEqualTo(47);
            assertThat(tailer.snapshot().getNow(null).tasks().get("app").linesRead()).isEqualTo(47);
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

    /**
     * The batches keep batch.maxRecords and batch.maxBytes and fill up to them: a read appends the
     * whole lines it holds in one loop, which checks both per line as a line-by-line append does.
     */
    @ParameterizedTest
    @ValueSource(strings = {"maxRecords: 7", "maxBytes: 4096"})
    void batchesKeepBatchMaxRecordsAndMaxBytesAndFillUpToThem(String limit) throws Exception {
        tailer.close();
        AgentConfig small = AgentConfig.fromYaml(TailerFixture.merge(TailerFixture.FAST_TIMINGS + "dataDir: " + dir.resolve("data") + "\n",
                "batch: {compressionThreads: 0, " + limit + "}\n"));
        SendWindow window = new SendWindow(small.send().windowBatches(), small.send().windowBytes());
        CollectingOutlet collecting = new CollectingOutlet(window, ledger);
        List<int[]> sizes = new ArrayList<>(); // per batch: records, uncompressed bytes (from its header)
        tailer = new Tailer(small, b -> {
            try {
                Batch h = Batch.parse(b.bytes().duplicate(), ProtocolLimits.DEFAULT);
                sizes.add(new int[] {h.recordCount(), h.uncompressedLength()});
            } catch (CorruptBatchException e) {
                throw new AssertionError(e);
            }
            collecting.submit(b);
        }, window, List.of(), () -> now);
        tailer.setTasks(Map.of("app", spec));
        try (LogWriter w = appLog("limits", 2000)) {
            run(3000);
            w.write(500);
            scan(log); // as discovery would report the file after a quiet while
            run(3000);
            ledger.assertExactlyOnceAfterDedup(w.written());
            assertThat(collecting.gaps()).isEmpty();
            assertThat(sizes).hasSizeGreaterThan(10);
            int lineBytes = w.line(0).length() + 3; // a line's content and its framing
            for (int[] b : sizes) {
                assertThat(b[0]).isLessThanOrEqualTo(small.batch().maxRecords());
                assertThat(b[1]).isLessThanOrEqualTo(small.batch().maxBytes());
            }
            if (limit.startsWith("maxRecords")) {
                assertThat(sizes).filteredOn(b -> b[0] == 7).hasSizeGreaterThan(sizes.size() / 2);
            } else {
                assertThat(sizes).filteredOn(b -> b[1] > 4096 - 16 - lineBytes).hasSizeGreaterThan(sizes.size() / 2);
            }
        }
    }
}
