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
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * copytruncate while the writer keeps writing (logrotate with a writer that never reopens), with
 * the copy outside the glob ({@code access.log.1}, glob {@code *.log}). The tailer is driven step
 * by step on a manual clock: what it saw of the original before the truncation is exactly what the
 * test lets it see. Every line in the copy or the truncated file is read exactly once; lines in
 * neither file (written between the copy and the truncation) are counted as truncatedUnread when
 * the agent saw them, and cannot be known otherwise.
 */
class TailerCopytruncateRaceTest {
    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final LineLedger ledger = new LineLedger();
    private Tailer tailer;
    private TaskSpec spec;

    private Path logs() throws IOException {
        return Files.createDirectories(dir.resolve("logs"));
    }

    private Tailer start() throws IOException {
        return start("", null);
    }

    /** With {@code extraYaml} over the fast timings, and the task's rate limit ({@code null}: none). */
    private Tailer start(String extraYaml, Long rateLimitBytesPerSec) throws IOException {
        return start(extraYaml, rateLimitBytesPerSec, null);
    }

    /** As above, reading with {@code reader} ({@code null}: the tailer's own). */
    private Tailer start(String extraYaml, Long rateLimitBytesPerSec, RecordReader reader) throws IOException {
        AgentConfig config = AgentConfig.fromYaml(TailerFixture.merge(TailerFixture.FAST_TIMINGS + "dataDir: " + dir.resolve("data") + "\n",
                "batch: {compressionThreads: 0}\n" + extraYaml)); // each round's batches reach the outlet in that round
        SendWindow window = new SendWindow(config.send().windowBatches(), config.send().windowBytes());
        CollectingOutlet outlet = new CollectingOutlet(window, ledger);
        tailer = reader == null ? new Tailer(config, outlet, window, List.of(), clock::get)
                : new Tailer(config, outlet, window, List.of(), clock::get, io.netty.buffer.ByteBufAllocator.DEFAULT, reader);
        spec = new TaskSpec("app", List.of(logs() + "/*.log"), null, "logs", null, null, null, null, null, rateLimitBytesPerSec, null, null,
                null, null);
        tailer.setTasks(Map.of("app", spec));
        return tailer;
    }

    /** What discovery would report for {@code *.log}: the task's files as they are now. */
    private void scan(Path... files) throws IOException {
        List<Found> found = new ArrayList<>();
        for (Path p : files) {
            found.add(new Found(p, FileStat.of(p)));
        }
        tailer.onScan(new ScanResult(spec, found, false, List.of()));
    }

    /** One look at {@code file} (as after an inotify event), without time passing: its growth is seen, but lingers unread. */
    private void look(Path file) throws InterruptedException {
        tailer.onWrites(Set.of(file));
        tailer.doWork(clock.get());
    }

    /** Lets {@code millis} pass in steps of 10 ms, one round each. */
    private void run(long millis) throws InterruptedException {
        for (long t = 0; t < millis; t += 10) {
            clock.addAndGet(10);
            tailer.doWork(clock.get());
        }
    }

    private TaskReport report() throws Exception {
        CompletableFuture<TailerSnapshot> r = tailer.snapshot();
        tailer.doWork(clock.get());
        return r.getNow(null).tasks().get("app");
    }

    private static List<String> lines(Path p) throws IOException {
        return List.of(Files.readString(p, StandardCharsets.UTF_8).split("\n"));
    }

    private static void truncate(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
    }

    @Test
    void linesWrittenAfterTheLastLookAndBeforeTheCopyAreReadFromTheCopy() throws Exception {
        Path log = logs().resolve("access.log");
        Path copy = logs().resolve("access.log.1");
        try (LogWriter w = new LogWriter(log, "race"); Tailer t = start()) {
            w.write(50);
            scan(log);
            run(500);
            assertThat(ledger.missing(w.written())).isEmpty(); // read to the end: offset == size the agent saw
            List<String> beforeCopy = w.write(20); // the agent does not look before logrotate copies them
            Files.copy(log, copy); // copytruncate: the copy (outside the glob)
            List<String> inNoFile = w.write(20); // between the copy and the truncation: lost by logrotate
            truncate(log);
            List<String> afterTruncation = w.write(20); // before the agent looks again
            run(10_000); // past the loss grace (discovery interval + 5 s)
            List<String> inFiles = new ArrayList<>(lines(copy));
            inFiles.addAll(lines(log));
            assertThat(inFiles).containsAll(beforeCopy).containsAll(afterTruncation).doesNotContainAnyElementsOf(inNoFile);
            assertThat(ledger.missing(inFiles)).as("lines in the copy or the truncated file, never delivered").isEmpty();
            ledger.assertExactlyOnceAfterDedup(inFiles);
            assertThat(ledger.missing(inNoFile)).hasSameSizeAs(inNoFile);
            // the agent never saw the original longer than the copy: nothing it could know was lost
            assertThat(report().droppedBytesByReason()).isEmpty();
        }
    }

    /**
     * A scan lists the copy (a glob that matches it) after logrotate truncated the original and the
     * writer wrote to it again, before the tailer looked at the original: the original's bytes are no
     * longer the stream's, so they cannot tell whether the new file is its copy. It must not become a
     * stream of its own (every line of the first generation would be read twice, under two
     * identities); it is matched once the tailer has seen the truncation.
     */
    @Test
    void aCopyListedBeforeTheTruncationIsSeenIsNotReadAsANewFile() throws Exception {
        Path log = logs().resolve("access.log");
        Path copy = logs().resolve("access.log.1");
        try (LogWriter w = new LogWriter(log, "listed"); Tailer t = start()) {
            w.write(300);
            scan(log);
            run(500);
            assertThat(ledger.missing(w.written())).isEmpty();
            Files.copy(log, copy);
            truncate(log);
            w.write(40);
            scan(log, copy); // the copy is listed before the tailer has looked at the truncated original
            run(10_000);
            ledger.assertExactlyOnceAfterDedup(w.written());
            assertThat(report().droppedBytesByReason()).isEmpty();
        }
    }

    /**
     * As above, but the writer wrote more after the truncation than the agent had read before it,
     * and the tailer has not looked at the original since (it waits for room in the send window,
     * or its growth lingers): the original is long enough again, so only its first bytes tell that
     * it is no longer the stream's. A scan lists the copy in that moment, and the copy is compared
     * with the original's new content. It must not become a stream of its own (the lines the agent
     * had read of the first generation would be read again under a second identity); it continues
     * the stream once the tailer has seen the truncation.
     */
    @Test
    void aCopyListedAfterTheOriginalWasTruncatedAndRegrownPastTheReadOffsetIsNotReadAsANewFile() throws Exception {
        Path log = logs().resolve("access.log");
        Path copy = logs().resolve("access.log.1");
        try (LogWriter w = new LogWriter(log, "regrown"); Tailer t = start()) {
            w.write(300);
            scan(log);
            run(500);
            assertThat(ledger.missing(w.written())).isEmpty();
            long readOffset = Files.size(log);
            List<String> beforeCopy = w.write(20); // not seen by the agent before logrotate copies them
            Files.copy(log, copy);
            truncate(log);
            w.write(400); // past the read offset before the tailer looks at the original again
            assertThat(Files.size(log)).isGreaterThan(readOffset);
            scan(log, copy); // the copy is fingerprinted in this round, before the original's turn
            tailer.doWork(clock.get());
            run(10_000);
            assertThat(lines(copy)).containsAll(beforeCopy);
            ledger.assertExactlyOnceAfterDedup(w.written());
            assertThat(report().droppedBytesByReason()).isEmpty();
        }
    }

    /**
     * The agent read lines written between logrotate's copy and its truncation (they are in neither
     * file), saw the truncation, and found no copy as long as its read offset; a scan then lists the
     * copy (a glob that matches it). Every byte of the copy was read: it must not become a stream of
     * its own (the whole generation would be read twice, under two identities).
     */
    @Test
    void aCopyShorterThanTheReadOffsetListedAfterTheTruncationWasSeenIsNotReadAsANewFile() throws Exception {
        Path log = logs().resolve("access.log");
        Path copy = logs().resolve("access.log.1");
        try (LogWriter w = new LogWriter(log, "short"); Tailer t = start()) {
            w.write(300);
            scan(log);
            run(500);
            Files.copy(log, copy);
            w.write(20); // between the copy and the truncation, and read by the agent
            run(100);
            assertThat(ledger.missing(w.written())).isEmpty();
            truncate(log);
            w.write(20);
            run(100); // the truncation is seen; no copy as long as the read offset is found
            scan(log, copy);
            run(10_000);
            ledger.assertExactlyOnceAfterDedup(w.written());
            assertThat(report().droppedBytesByReason()).isEmpty();
        }
    }

    /**
     * As above, with the copy listed (and found to be a copy of the live file) before the agent read
     * the lines written after it: at the truncation the copy is shorter than the read offset. It
     * cannot take the stream over (it would look truncated below the offset and be read again as a
     * new stream); it stays a copy, not read.
     */
    @Test
    void aKnownCopyShorterThanTheReadOffsetAtTheTruncationIsNotReadAgain() throws Exception {
        Path log = logs().resolve("access.log");
        Path copy = logs().resolve("access.log.1");
        try (LogWriter w = new LogWriter(log, "known"); Tailer t = start()) {
            w.write(300);
            scan(log);
            run(500);
            Files.copy(log, copy);
            scan(log, copy);
            run(20); // found to be a copy of the live file
            w.write(20); // between the copy and the truncation, and read by the agent
            run(100);
            assertThat(ledger.missing(w.written())).isEmpty();
            truncate(log);
            w.write(20);
            run(10_000);
            ledger.assertExactlyOnceAfterDedup(w.written());
            assertThat(report().droppedBytesByReason()).isEmpty();
        }
    }

    @Test
    void linesSeenButNotReadBeforeTheTruncationAreReadFromTheCopyOrCountedExactly() throws Exception {
        Path log = logs().resolve("access.log");
        Path copy = logs().resolve("access.log.1");
        try (LogWriter w = new LogWriter(log, "seen"); Tailer t = start()) {
            w.write(50);
            scan(log);
            run(500);
            List<String> beforeCopy = w.write(20);
            look(log); // seen, lingering
            Files.copy(log, copy);
            long copySize = Files.size(copy);
            List<String> inNoFile = w.write(20);
            look(log); // seen too: the agent knows the original was longer than the copy
            long seenSize = Files.size(log);
            truncate(log);
            List<String> afterTruncation = w.write(20);
            run(10_000);
            List<String> inFiles = new ArrayList<>(lines(copy));
            inFiles.addAll(lines(log));
            assertThat(inFiles).containsAll(beforeCopy).containsAll(afterTruncation);
            ledger.assertExactlyOnceAfterDedup(inFiles);
            assertThat(ledger.missing(inNoFile)).hasSameSizeAs(inNoFile);
            assertThat(report().droppedBytesByReason()).containsExactly(Map.entry("truncatedUnread", seenSize - copySize));
        }
    }

    @Test
    void aTruncatedFileRegrownToTheSizeTheAgentLastSawIsStillTakenOverByItsCopy() throws Exception {
        Path log = logs().resolve("access.log");
        Path copy = logs().resolve("access.log.1");
        try (LogWriter w = new LogWriter(log, "same"); Tailer t = start()) {
            w.write(50);
            scan(log);
            run(500);
            long lastSeen = Files.size(log);
            List<String> beforeCopy = w.write(20);
            Files.copy(log, copy);
            w.write(20); // lost by logrotate
            truncate(log);
            // regrown past what the agent last saw before it looks: no shrink to see, only the first bytes tell
            List<String> afterTruncation = w.write(60);
            assertThat(Files.size(log)).isGreaterThan(lastSeen);
            run(10_000);
            List<String> inFiles = new ArrayList<>(lines(copy));
            inFiles.addAll(lines(log));
            assertThat(inFiles).containsAll(beforeCopy).containsAll(afterTruncation);
            ledger.assertExactlyOnceAfterDedup(inFiles);
            assertThat(report().droppedBytesByReason()).isEmpty();
        }
    }

    /**
     * The agent is behind (its rate limit), and between two of its looks logrotate copies the file
     * and truncates it and the writer writes it again to exactly the size the agent last saw: no
     * shrink to see and no growth to check, yet the bytes past the read offset are another
     * generation's. They must not be read as the stream's (the first generation's lines there would
     * be lost, and the second's delivered under the first's identity): the copy continues the stream
     * from the read offset, and the new content is read as a file of its own.
     */
    @Test
    void aFileTruncatedAndWrittenAgainToTheSizeTheAgentLastSawWhileItIsBehindIsContinuedByItsCopy() throws Exception {
        Path log = logs().resolve("access.log");
        Path copy = logs().resolve("access.log.1");
        try (LogWriter first = new LogWriter(log, "gen-a"); Tailer t = start("files: {readBufferBytes: 4096}\n", 1000L)) {
            first.write(300);
            scan(log);
            run(50); // a burst of 4 KiB, then 1000 bytes a second
            assertThat(ledger.distinctLines()).isPositive();
            assertThat(ledger.missing(first.written())).isNotEmpty();
            Files.copy(log, copy);
            truncate(log);
            try (LogWriter second = new LogWriter(log, "gen-b")) { // lines as long as the first generation's
                second.write(300);
                assertThat(Files.size(log)).isEqualTo(Files.size(copy));
                run(60_000);
                List<String> all = new ArrayList<>(first.written());
                all.addAll(second.written());
                ledger.assertExactlyOnceAfterDedup(all);
            }
            assertThat(report().droppedBytesByReason()).isEmpty();
        }
    }

    /**
     * As above, in the moment between the tailer's look at the file and its read: logrotate copies
     * and truncates it, and the writer writes it again past the read offset, as the read begins (the
     * test does it from inside the reader). A check of the first bytes before the read cannot see
     * that; the check after the read does, and the read is undone.
     */
    @Test
    void aFileTruncatedAndWrittenAgainAsAReadBeginsIsContinuedByItsCopy() throws Exception {
        Path log = logs().resolve("access.log");
        Path copy = logs().resolve("access.log.1");
        List<String> second = new ArrayList<>();
        RecordReader rotating = new RecordReader(4096) {
            private boolean rotated;

            @Override
            public Outcome read(FileChannel channel, StreamCursor cursor, LineRules rules, RecordSink sink, long budget, boolean finalFlush,
                                boolean timeoutFlush, long nowMillis) throws IOException {
                if (!rotated && cursor.offset() > 0) {
                    rotated = true;
                    Files.copy(log, copy);
                    truncate(log);
                    try (LogWriter w = new LogWriter(log, "gen-b")) {
                        second.addAll(w.write(400));
                    }
                }
                return super.read(channel, cursor, rules, sink, budget, finalFlush, timeoutFlush, nowMillis);
            }
        };
        try (LogWriter first = new LogWriter(log, "gen-a"); Tailer t = start("files: {readBufferBytes: 4096}\n", 1000L, rotating)) {
            first.write(300);
            scan(log);
            run(60_000);
            assertThat(second).as("rotated while a read began").isNotEmpty();
            List<String> all = new ArrayList<>(first.written());
            all.addAll(second);
            ledger.assertExactlyOnceAfterDedup(all);
            assertThat(report().droppedBytesByReason()).isEmpty();
        }
    }

    @Test
    void aFileThatStartsEmptyIsFingerprintedWhenAWriteIsReportedSoItsCopyCanBeFound() throws Exception {
        Path log = logs().resolve("access.log");
        Path copy = logs().resolve("access.log.1");
        try (LogWriter w = new LogWriter(log, "empty"); Tailer t = start()) {
            scan(log); // empty: no fingerprint, followed through its handle
            tailer.doWork(clock.get());
            tailer.doWork(clock.get());
            List<String> firstGeneration = w.write(20);
            look(log); // inotify reports the write: fingerprinted now, not a slowPollMs later
            Files.copy(log, copy);
            truncate(log);
            List<String> afterTruncation = w.write(20);
            run(10_000);
            assertThat(lines(copy)).isEqualTo(firstGeneration);
            assertThat(lines(log)).isEqualTo(afterTruncation);
            ledger.assertExactlyOnceAfterDedup(w.written());
            assertThat(report().droppedBytesByReason()).isEmpty();
        }
    }

    @Test
    void aFileTruncatedToEmptyIsWatchedClosely() throws Exception {
        Path log = logs().resolve("access.log");
        try (LogWriter w = new LogWriter(log, "again"); Tailer t = start()) {
            w.write(50);
            scan(log);
            run(500);
            List<String> firstCopy = w.write(20);
            Files.copy(log, logs().resolve("access.log.1"));
            truncate(log);
            run(20); // the truncation is seen at size 0, and the file looked at: it starts over without a fingerprint
            List<String> secondGeneration = w.write(20);
            run(10); // a fastPollMs later (not a slowPollMs): fingerprinted
            Files.copy(log, logs().resolve("access.log.2"));
            truncate(log);
            List<String> third = w.write(20);
            run(10_000);
            assertThat(lines(logs().resolve("access.log.1"))).containsAll(firstCopy);
            assertThat(lines(logs().resolve("access.log.2"))).isEqualTo(secondGeneration);
            assertThat(lines(log)).isEqualTo(third);
            ledger.assertExactlyOnceAfterDedup(w.written());
            assertThat(report().droppedBytesByReason()).isEmpty();
        }
    }
}
