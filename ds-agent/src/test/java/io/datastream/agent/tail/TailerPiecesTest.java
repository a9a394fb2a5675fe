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
        assertThat(scheduler.idleWaitMillis(true)).as("handles wanted, but the window is full")
                .isEqualTo(Math.min(config.files().slowPollMs(), 1000));
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
