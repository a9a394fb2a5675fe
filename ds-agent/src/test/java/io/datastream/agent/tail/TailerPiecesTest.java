package io.datastream.agent.tail;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.agent.AgentConfig;
import io.datastream.agent.batch.SendWindow;
import io.datastream.agent.discovery.ScanResult;
import io.datastream.agent.fingerprint.FileStat;
import io.datastream.registry.task.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tailer's pieces on their own, on the test's thread with a manual clock: handle pool, read scheduler, inbox. */
class TailerPiecesTest {
    @TempDir
    Path dir;
    private final long now = 1_000_000;
    private AgentConfig config;
    private TaskRuntime task;

    @BeforeEach
    void setUp() {
        config = AgentConfig.fromYaml(TailerFixture.FAST_TIMINGS + "dataDir: " + dir.resolve("data") + "\n");
        TaskSpec spec = new TaskSpec("app", List.of(dir + "/*.log"), null, "logs", null, null, null, null, null, null, null, null, null, null);
        task = new TaskRuntime(spec, now);
    }

    /** A file on disk, tracked; with a stream read to {@code offset} when {@code offset >= 0}. */
    private TrackedFile file(String name, int bytes, long offset) throws Exception {
        Path p = Files.writeString(dir.resolve(name), "x".repeat(bytes));
        TrackedFile f = new TrackedFile(task, FileStat.of(p).key(), p);
        f.size = bytes;
        f.pendingResolve = true;
        if (offset >= 0) {
            FileStream s = new FileStream(f.key.ino(), f.key.ino(), 8, offset);
            f.attach(s);
            s.owner = f;
        }
        task.files.put(f.key, f);
        return f;
    }

    // ------------------------------------------------------------------ handle pool

    private final List<TrackedFile> opened = new ArrayList<>();

    private HandlePool pool(int maxOpen) {
        return new HandlePool(maxOpen, new HandlePool.Events() {
            @Override
            public void opened(TrackedFile f, boolean pendingIdentity, long t) {
                opened.add(f);
            }

            @Override
            public void openFailed(TrackedFile f, Exception e, long t) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void thePoolOpensAtMostMaxOpenAndEvictsTheQuietestDrainedFile() throws Exception {
        HandlePool pool = pool(2);
        TrackedFile older = file("a.log", 10, 10);
        TrackedFile newer = file("b.log", 10, 10);
        older.lastGrowthMillis = now - 500;
        newer.lastGrowthMillis = now - 100;
        pool.want(older);
        pool.want(newer);
        pool.want(older); // queued once
        pool.openWanted(now);
        assertThat(pool.open()).containsExactly(older, newer);

        TrackedFile third = file("c.log", 10, 0);
        pool.want(third);
        pool.openWanted(now);

        assertThat(pool.open()).containsExactly(newer, third);
        assertThat(older.isOpen()).isFalse();
        assertThat(older.fileClass).isEqualTo(FileClass.INACTIVE);
        assertThat(opened).containsExactly(older, newer, third);
        pool.closeAll();
        assertThat(pool.size()).isZero();
    }

    @Test
    void thePoolWaitsWhenEveryOpenFileHasDataLeftAndDeniesFilesWithoutAFingerprint() throws Exception {
        HandlePool pool = pool(1);
        TrackedFile busy = file("a.log", 100, 10);
        pool.want(busy);
        pool.openWanted(now);

        TrackedFile next = file("b.log", 10, 0);
        pool.want(next);
        pool.openWanted(now);
        assertThat(pool.open()).containsExactly(busy);
        assertThat(pool.hasWanted()).as("it waits for a handle").isTrue();

        TrackedFile pending = file("c.log", 10, -1);
        HandlePool full = pool(0);
        full.want(pending);
        full.openWanted(now);
        assertThat(pending.deniedHandle).isTrue();
        assertThat(full.hasWanted()).isFalse();
        pool.closeAll();
    }

    @Test
    void thePoolOpensNothingForAParkedTaskOrAReleasedFile() throws Exception {
        HandlePool pool = pool(4);
        TrackedFile f = file("a.log", 10, 0);
        task.parked = true;
        pool.want(f);
        pool.openWanted(now);
        assertThat(pool.size()).isZero();

        task.parked = false;
        TrackedFile g = file("b.log", 10, 0);
        g.retire();
        pool.want(g);
        pool.openWanted(now);
        assertThat(pool.size()).isZero();
    }

    // ------------------------------------------------------------------ read scheduler

    private static final class Looks implements ReadScheduler.Turn {
        final List<TrackedFile> looked = new ArrayList<>();
        TrackedFile closeAfter;
        HandlePool pool;

        @Override
        public boolean look(TrackedFile f, long t) {
            looked.add(f);
            return true;
        }

        @Override
        public void after(TrackedFile f, long t) {
            if (f == closeAfter) {
                pool.close(f);
            }
        }
    }

    @Test
    void slowFilesAreLookedAtWhenWrittenOrEverySlowPoll() throws Exception {
        ReadScheduler scheduler = new ReadScheduler(config.files(), config.batch(), new SendWindow(4, 1 << 20));
        HandlePool pool = pool(4);
        TrackedFile fast = file("a.log", 10, 0);
        TrackedFile slow = file("b.log", 10, 0);
        pool.want(fast);
        pool.want(slow);
        pool.openWanted(now);
        fast.fileClass = FileClass.FAST;
        slow.fileClass = FileClass.SLOW;
        slow.lastCheckMillis = now;
        Looks looks = new Looks();

        scheduler.round(pool.open(), now + 1, () -> true, looks);
        assertThat(looks.looked).containsExactly(fast);

        assertThat(scheduler.wake(Set.of(fast.path), pool.open(), f -> false)).as("fast files are polled anyway").isFalse();
        assertThat(scheduler.wake(Set.of(slow.path), pool.open(), f -> false)).isTrue();
        looks.looked.clear();
        scheduler.round(pool.open(), now + 2, () -> true, looks);
        assertThat(looks.looked).containsExactly(fast, slow);

        looks.looked.clear();
        scheduler.round(pool.open(), now + 3, () -> true, looks);
        assertThat(looks.looked).as("the wake is used up").containsExactly(fast);
        looks.looked.clear();
        scheduler.round(pool.open(), now + 2 + config.files().slowPollMs(), () -> true, looks);
        assertThat(looks.looked).containsExactly(fast, slow);
        pool.closeAll();
    }

    @Test
    void aFileClosedDuringItsTurnLeavesTheRoundWithoutSkippingTheNext() throws Exception {
        ReadScheduler scheduler = new ReadScheduler(config.files(), config.batch(), new SendWindow(4, 1 << 20));
        HandlePool pool = pool(4);
        TrackedFile a = file("a.log", 10, 0);
        TrackedFile b = file("b.log", 10, 0);
        pool.want(a);
        pool.want(b);
        pool.openWanted(now);
        Looks looks = new Looks();
        looks.pool = pool;
        looks.closeAfter = a;
        scheduler.round(pool.open(), now, () -> true, looks);
        assertThat(looks.looked).containsExactly(a, b);
        assertThat(pool.open()).containsExactly(b);
        pool.closeAll();
    }

    @Test
    void theBudgetStopsAtTheRateLimitAndAtAFullSendWindow() throws Exception {
        SendWindow window = new SendWindow(1, 1 << 20);
        ReadScheduler scheduler = new ReadScheduler(config.files(), config.batch(), window);
        TrackedFile f = file("a.log", 10, 0);
        assertThat(scheduler.budget(f, now)).isEqualTo(Math.max(1 << 20, 4L * config.batch().maxBytes()));

        task.bucket = new TokenBucket(10_000, now);
        assertThat(scheduler.budget(f, now)).isEqualTo(10_000);
        task.bucket.consume(10_000);
        assertThat(scheduler.budget(f, now)).isZero();
        assertThat(scheduler.budget(f, now + 500)).isEqualTo(5_000);

        task.bucket = null;
        window.take(100);
        assertThat(scheduler.budget(f, now)).isZero();
        assertThat(scheduler.idleWaitMillis(true, now)).as("handles wanted, but the window is full")
                .isEqualTo(Math.min(config.files().slowPollMs(), 1000));
    }

    /** A scheduler with batch.lingerMs 100, batch.maxBytes 64 KiB, files.fastPollMs 20 and files.slowPollMs 500. */
    private ReadScheduler lingering() {
        AgentConfig c = AgentConfig.fromYaml(TailerFixture.merge(TailerFixture.FAST_TIMINGS + "dataDir: " + dir.resolve("data") + "\n",
                "batch: {lingerMs: 100, maxBytes: 65536}\nfiles: {fastPollMs: 20, slowPollMs: 500}\n"));
        return new ReadScheduler(c.files(), c.batch(), new SendWindow(4, 1 << 20));
    }

    /** What Tailer.turn does before it would read: {@code pending} bytes per file; records the files it would read. */
    private static final class LingerLooks implements ReadScheduler.Turn {
        final ReadScheduler scheduler;
        final Map<TrackedFile, Long> pending = new java.util.HashMap<>();
        final List<TrackedFile> read = new ArrayList<>();

        LingerLooks(ReadScheduler scheduler) {
            this.scheduler = scheduler;
        }

        @Override
        public boolean look(TrackedFile f, long t) {
            long p = pending.getOrDefault(f, 0L);
            if (p <= 0) {
                if (f.drained()) {
                    scheduler.caughtUp(f, f.stream().cursor.offset(), t);
                }
                return false;
            }
            if (f.idleSize == f.size || scheduler.lingers(f, p, false, t)) {
                return false; // only a partial line, or lingering
            }
            read.add(f);
            return true;
        }

        @Override
        public void after(TrackedFile f, long t) {
        }
    }

    private TrackedFile openFast(HandlePool pool, String name, int bytes, long offset) throws Exception {
        TrackedFile f = file(name, bytes, offset);
        pool.want(f);
        pool.openWanted(now);
        f.fileClass = FileClass.FAST;
        return f;
    }

    /**
     * After a round that read nothing, the tailer sleeps until the first linger ends, or until a
     * lingering file is expected to hold a full batch at the rate it grew between its last two
     * catch-ups; a fast file found with nothing unread is looked at again when a linger of its next
     * bytes would end; a files.fastPollMs only while a fast file has unread bytes that do not linger
     * (a partial line) or a file without a fingerprint is watched fast.
     */
    @Test
    void anIdleRoundWaitsUntilTheFirstLingerEnds() throws Exception {
        ReadScheduler scheduler = lingering();
        HandlePool pool = pool(4);
        TrackedFile a = openFast(pool, "a.log", 10, 10); // read to its end
        TrackedFile b = openFast(pool, "b.log", 10, 0);
        LingerLooks looks = new LingerLooks(scheduler);

        looks.pending.put(b, 1_000L); // never caught up with: its linger starts now
        assertThat(scheduler.round(pool.open(), now, () -> true, looks)).isFalse();
        assertThat(b.firstPendingMillis).isEqualTo(now);
        assertThat(a.caughtUpAtMillis).isEqualTo(now);
        assertThat(scheduler.idleWaitMillis(false, now)).as("b's linger, and a linger of what a gets next, end at now + 100").isEqualTo(100);
        assertThat(scheduler.idleWaitMillis(true, now)).as("a handle is wanted").isEqualTo(20);

        long t1 = now + 20; // woken early
        looks.pending.put(a, 1_000L); // written since the look at now: its linger counts from then, as b's
        assertThat(scheduler.round(pool.open(), t1, () -> true, looks)).isFalse();
        assertThat(a.firstPendingMillis).isEqualTo(now);
        assertThat(scheduler.idleWaitMillis(false, t1)).as("until both lingers end").isEqualTo(80);

        a.fillMillis = 40; // it filled a batch in 40 ms between its last two catch-ups
        assertThat(scheduler.round(pool.open(), t1, () -> true, looks)).isFalse();
        assertThat(scheduler.idleWaitMillis(false, t1)).as("until a is expected to hold a full batch").isEqualTo(20);
        a.fillMillis = 30;
        assertThat(scheduler.round(pool.open(), t1, () -> true, looks)).isFalse();
        assertThat(scheduler.idleWaitMillis(false, t1)).as("until a is expected full, though sooner than a files.fastPollMs after this look").isEqualTo(10);
        scheduler.caughtUp(a, 10, t1); // read to its end at t1
        a.fillMillis = 10;
        assertThat(scheduler.round(pool.open(), t1 + 5, () -> true, looks)).isFalse();
        assertThat(scheduler.idleWaitMillis(false, t1 + 5)).as("an estimate: not sooner than a files.fastPollMs after a's catch-up").isEqualTo(15);

        looks.pending.put(a, 5L);
        a.stream().cursor.reset(5); // a partial line: no linger, polled
        a.idleSize = a.size;
        assertThat(scheduler.round(pool.open(), t1, () -> true, looks)).isFalse();
        assertThat(scheduler.idleWaitMillis(false, t1)).isEqualTo(20);
        a.idleSize = -1;
        a.stream().cursor.reset(10);
        looks.pending.put(a, 0L);

        assertThat(scheduler.round(pool.open(), now + 100, () -> true, looks)).as("b's linger is over: it is read").isTrue();
        assertThat(looks.read).containsExactly(b);
        a.fileClass = FileClass.SLOW;
        b.fileClass = FileClass.SLOW;
        looks.pending.clear();
        assertThat(scheduler.round(pool.open(), now + 1_000, () -> true, looks)).isFalse();
        assertThat(scheduler.idleWaitMillis(false, now + 1_000)).as("slow files only").isEqualTo(500);

        TrackedFile unknown = file("c.log", 10, -1);
        pool.want(unknown);
        pool.openWanted(now + 1_000);
        assertThat(unknown.state()).isEqualTo(FileState.PENDING_IDENTITY);
        unknown.sizeChangedMillis = now + 1_000;
        assertThat(scheduler.round(pool.open(), now + 1_000, () -> true, looks)).isFalse();
        assertThat(scheduler.idleWaitMillis(false, now + 1_000)).as("a file without a fingerprint that just changed").isEqualTo(20);
        pool.closeAll();
    }

    /** How long a file took to grow by a batch, from its last two catch-ups; a look that finds nothing new changes nothing of it. */
    @Test
    void aCatchUpMeasuresHowFastAFileFillsABatch() throws Exception {
        ReadScheduler scheduler = lingering();
        TrackedFile f = file("a.log", 10, 0);
        scheduler.caughtUp(f, 1_000, now);
        assertThat(f.fillMillis).isEqualTo(-1);
        scheduler.caughtUp(f, 1_000 + 32_768, now + 50);
        assertThat(f.fillMillis).isEqualTo(100);
        scheduler.caughtUp(f, 1_000 + 32_768, now + 60);
        assertThat(f.fillMillis).isEqualTo(100);
        assertThat(f.caughtUpAtMillis).isEqualTo(now + 60);
        assertThat(f.firstPendingMillis).isEqualTo(-1);
        assertThat(scheduler.lingers(f, 100, false, now + 60_000)).as("quiet for a minute: read at once").isFalse();
        assertThat(f.firstPendingMillis).as("its lines are not taken for a minute old").isEqualTo(now + 60_000 - 100);
    }

    /**
     * A file that fills batch.maxBytes before its linger ends is read a full batch at a time: the
     * rest after a full batch starts the next one (it lingers from when it began to arrive, at the
     * file's rate), and a look at the time the rate says a batch is full reads it.
     */
    @Test
    void aFileThatFillsABatchBeforeItsLingerEndsIsReadAFullBatchAtATime() throws Exception {
        ReadScheduler scheduler = lingering(); // lingerMs 100, maxBytes 65536
        TrackedFile f = file("a.log", 10, 0);
        scheduler.caughtUp(f, 0, now);
        scheduler.caughtUp(f, 32_768, now + 20); // 32 KiB in 20 ms: a batch in 40 ms
        assertThat(f.fillMillis).isEqualTo(40);

        scheduler.readFull(f, 32_768 + 65_536, 16_384, now + 70); // a full batch read, 16 KiB left: 10 ms of growth
        assertThat(f.fillMillis).as("the same rate since the catch-up").isEqualTo(40);
        assertThat(f.firstPendingMillis).isEqualTo(now + 60);
        assertThat(f.caughtUpAtMillis).isEqualTo(now + 60);
        assertThat(f.caughtUpOffset).isEqualTo(32_768 + 65_536);
        assertThat(scheduler.lingers(f, 16_384, false, now + 70)).as("the rest waits for the next batch").isTrue();
        assertThat(scheduler.idleWaitMillis(false, now + 70)).as("until it is expected full").isEqualTo(30);
        assertThat(scheduler.lingers(f, 60_000, false, now + 100)).as("full by the rate: read, not polled").isFalse();

        scheduler.readFull(f, 200_000, 70_000, now + 100);
        assertThat(f.firstPendingMillis).as("a batch or more left: read on").isEqualTo(now);
        TrackedFile g = file("b.log", 10, 0);
        scheduler.readFull(g, 65_536, 100, now);
        assertThat(g.firstPendingMillis).as("no rate known yet: read on").isEqualTo(now - 100);

        TrackedFile h = file("c.log", 10, 0);
        scheduler.caughtUp(h, 0, now);
        scheduler.caughtUp(h, 65_536, now + 1_000); // slow: a batch a second
        scheduler.readFull(h, 131_072, 65_000, now + 1_500);
        assertThat(h.firstPendingMillis).as("no earlier than one linger back").isEqualTo(now + 1_400);
    }

    /**
     * A rate measured in a slower spell does not stay: a file read a full batch at a time never
     * catches up, so each full read measures the rate again. Else the looks come late, the rest at
     * each read settles at half a batch (at half the true rate), and every line waits for it too.
     */
    @Test
    void aFileReadAFullBatchAtATimeCorrectsARateFromASlowerSpell() throws Exception {
        ReadScheduler scheduler = lingering(); // lingerMs 100, maxBytes 65536
        TrackedFile f = file("a.log", 10, 0);
        scheduler.caughtUp(f, 0, now);
        scheduler.caughtUp(f, 32_768, now + 40); // a slow spell: a batch in 80 ms
        assertThat(f.fillMillis).isEqualTo(80);
        long bytesPerMs = 65_536 / 40; // from now on: a batch in 40 ms
        long t = now + 40;
        long start = 32_768; // what the file held at t
        long offset = 32_768;
        long rest = 0;
        for (int read = 0; read < 12; read++) {
            assertThat(scheduler.lingers(f, rest, false, t)).as("read %d: less than a batch waits", read).isTrue();
            // the next look: when the rate says the batch is full, not before a files.fastPollMs after the catch-up (lingers)
            t = f.caughtUpAtMillis + Math.max(f.fillMillis, 20);
            long size = start + (t - (now + 40)) * bytesPerMs;
            rest = size - offset;
            assertThat(scheduler.lingers(f, rest, false, t)).as("read %d: due", read).isFalse();
            offset += Math.min(rest, 65_536); // a full batch read (or all of it, if less)
            rest = size - offset;
            if (rest <= 0) {
                scheduler.caughtUp(f, offset, t);
            } else {
                scheduler.readFull(f, offset, rest, t);
            }
        }
        assertThat(f.fillMillis).as("the true rate").isBetween(40L, 42L);
        assertThat(rest).as("the rest at the last read: a few ms of growth, not half a batch").isLessThan(65_536 / 8);
    }

    /**
     * Files that fill batches at their own pace: a round woken for one file's full batch looks at
     * the others too, and that look does not put off their next look past the time each is expected
     * full (a look for another file's sake came every few ms at half the agent's capacity, and
     * postponed each file's read by up to a files.fastPollMs).
     */
    @Test
    void aLookForAnotherFilesBatchDoesNotPutOffAFilesExpectedRead() throws Exception {
        ReadScheduler scheduler = lingering(); // lingerMs 100, maxBytes 65536, fastPollMs 20
        HandlePool pool = pool(4);
        TrackedFile a = openFast(pool, "a.log", 10, 10);
        TrackedFile b = openFast(pool, "b.log", 10, 10);
        LingerLooks looks = new LingerLooks(scheduler);
        a.fillMillis = 30;
        b.fillMillis = 30;
        scheduler.caughtUp(a, 10, now);
        scheduler.caughtUp(b, 10, now + 10);

        looks.pending.put(a, 40_000L);
        looks.pending.put(b, 20_000L);
        assertThat(scheduler.round(pool.open(), now + 20, () -> true, looks)).isFalse();
        assertThat(scheduler.idleWaitMillis(false, now + 20)).as("until a is expected full").isEqualTo(10);

        looks.pending.put(a, 65_536L);
        looks.pending.put(b, 40_000L);
        assertThat(scheduler.round(pool.open(), now + 30, () -> true, looks)).isTrue();
        assertThat(looks.read).containsExactly(a);
        assertThat(scheduler.idleWaitMillis(false, now + 30)).as("b is expected full at now + 40, not put off by the look at now + 30").isEqualTo(10);
        assertThat(b.firstPendingMillis).as("b's linger is unchanged").isEqualTo(now + 10);
        pool.closeAll();
    }

    /**
     * A round that comes at a linger's end also reads growth that has lingered half of
     * batch.lingerMs: files whose lingers ended apart come to linger in step (one wake-up for all).
     */
    @Test
    void aRoundAtALingersEndReadsGrowthThatLingeredHalfOfIt() throws Exception {
        ReadScheduler scheduler = lingering();
        HandlePool pool = pool(4);
        TrackedFile a = openFast(pool, "a.log", 10, 0);
        TrackedFile b = openFast(pool, "b.log", 10, 0);
        TrackedFile c = openFast(pool, "c.log", 10, 0);
        LingerLooks looks = new LingerLooks(scheduler);
        looks.pending.put(a, 1_000L);
        looks.pending.put(b, 1_000L);
        b.caughtUpAtMillis = now - 40; // its linger started 40 ms earlier
        assertThat(scheduler.round(pool.open(), now, () -> true, looks)).isFalse();
        looks.pending.put(c, 1_000L); // c's linger starts 20 ms after a's
        assertThat(scheduler.round(pool.open(), now + 20, () -> true, looks)).isFalse();
        assertThat(scheduler.idleWaitMillis(false, now + 20)).isEqualTo(40);
        assertThat(scheduler.round(pool.open(), now + 55, () -> true, looks)).as("woken early: no linger ended").isFalse();
        assertThat(scheduler.round(pool.open(), now + 60, () -> true, looks)).isTrue();
        assertThat(looks.read).as("b's linger ended; a lingered 60 ms, c 40 ms").containsExactly(a, b);
        pool.closeAll();
    }

    @Test
    void growthLingersUnlessABatchIsThereOrAFlushIsDueAndFilesTurnSlowWhenQuiet() throws Exception {
        ReadScheduler scheduler = new ReadScheduler(config.files(), config.batch(), new SendWindow(4, 1 << 20));
        TrackedFile f = file("a.log", 100, 0);
        assertThat(scheduler.lingers(f, 100, false, now)).isTrue();
        assertThat(f.firstPendingMillis).isEqualTo(now);
        assertThat(scheduler.lingers(f, 100, true, now)).isFalse();
        assertThat(scheduler.lingers(f, config.batch().maxBytes(), false, now)).isFalse();
        assertThat(scheduler.lingers(f, 100, false, now + config.batch().lingerMs())).isFalse();

        Path p = f.path;
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p)) {
            f.channel = ch;
            scheduler.grew(f, 100, now);
            assertThat(f.fileClass).isEqualTo(FileClass.FAST);
            scheduler.reclass(f, now + config.files().slowAfterMs());
            assertThat(f.fileClass).as("data left").isEqualTo(FileClass.FAST);
            f.stream().cursor.reset(100);
            scheduler.reclass(f, now + config.files().slowAfterMs() - 1);
            assertThat(f.fileClass).isEqualTo(FileClass.FAST);
            scheduler.reclass(f, now + config.files().slowAfterMs());
            assertThat(f.fileClass).isEqualTo(FileClass.SLOW);
            f.channel = null;
        }
    }

    // ------------------------------------------------------------------ inbox

    @Test
    void hintsAreDroppedAndCountedBeforeControlMessagesAreRefused() {
        Inbox inbox = new Inbox();
        for (int i = 0; i < Inbox.CAPACITY; i++) {
            inbox.hint(new Inbox.Wake(Set.of()));
        }
        assertThat(inbox.droppedHints()).isEqualTo(Inbox.RESERVED);
        CompletableFuture<TailerSnapshot> snapshot = new CompletableFuture<>();
        inbox.control(new Inbox.SnapshotRequest(snapshot));
        assertThat(snapshot).isNotDone();
        TailerSnapshot last = new TailerSnapshot(Map.of(), 0);
        inbox.drain(last);
        assertThat(snapshot).isCompletedWithValue(last);
        assertThat(inbox.poll()).isNull();
    }

    @Test
    void aNewerScanReplacesOneNotTakenYet() {
        Inbox inbox = new Inbox();
        TaskSpec spec = task.spec;
        ScanResult first = new ScanResult(spec, List.of(), false, List.of());
        ScanResult second = new ScanResult(spec, List.of(), true, List.of());
        inbox.scan(first);
        inbox.scan(second);
        Inbox.Message m = inbox.poll();
        assertThat(m).isEqualTo(new Inbox.Scanned(second));
        assertThat(inbox.poll()).isNull();

        List<String> delivered = new ArrayList<>();
        Inbox.Handler h = new Inbox.Handler() {
            public boolean tasksChanged(Map<String, TaskSpec> tasks, long t) {
                return delivered.add("tasks");
            }

            public boolean scanned(ScanResult scan, long t) {
                return delivered.add("scan " + scan.overLimit());
            }

            public boolean written(Set<Path> paths, long t) {
                delivered.add("written");
                return false;
            }

            public boolean room() {
                return delivered.add("room");
            }

            public boolean park(Inbox.Park park, long t) {
                return delivered.add("park");
            }

            public boolean rewind(String taskId, Map<Long, Long> rewind, long t) {
                return delivered.add("rewind");
            }

            public boolean persisted(long openMinute) {
                return delivered.add("persisted");
            }

            public boolean snapshotRequested(CompletableFuture<TailerSnapshot> future) {
                return delivered.add("snapshot");
            }

            public boolean filesRequested(CompletableFuture<List<FileStatus>> future) {
                return delivered.add("files");
            }
        };
        assertThat(m.deliver(h, now)).isTrue();
        assertThat(new Inbox.Wake(Set.of()).deliver(h, now)).isFalse();
        assertThat(new Inbox.Park("app", 1, Map.of(), "x").deliver(h, now)).isTrue();
        assertThat(delivered).containsExactly("scan true", "written", "park");
    }
}
