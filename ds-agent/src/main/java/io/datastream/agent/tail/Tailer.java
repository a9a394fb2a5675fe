package io.datastream.agent.tail;

import io.datastream.agent.AgentConfig;
import io.datastream.agent.batch.BatchOutlet;
import io.datastream.agent.batch.SendWindow;
import io.datastream.agent.checkpoint.CheckpointEntry;
import io.datastream.agent.checkpoint.Progress;
import io.datastream.agent.checkpoint.StreamInfo;
import io.datastream.agent.discovery.DiscoveryListener;
import io.datastream.agent.discovery.ScanResult;
import io.datastream.registry.task.TaskSpec;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tailer thread: follows every task's files, cuts them into records and builds batches.
 * Single writer of all file state; other threads talk to it through its {@link Inbox} of typed
 * messages (scan results, write hints, task changes, parks, snapshot requests), and pushes its
 * progress (streams that moved, read counts, the open minute) to the checkpointer. It is built from
 * pieces with one job each (docs/agent.md, "How the tailer is built"): the {@link FileTable}
 * applies scans and fingerprints new files, with the rotation rules in {@link RotationRules} and
 * each file's state in {@link TrackedFile}; the {@link HandlePool} keeps at most files.maxOpen
 * handles; the {@link ReadScheduler} picks which open file is read when and how much; the
 * {@link BatchAssembler} turns records into batches for the outlet. The tailer coordinates them:
 * one round ({@link #doWork}) takes the inbox's messages, fingerprints new files, opens wanted
 * ones, looks at each open file due (truncation, first bytes, then one batch), does the upkeep and
 * pushes its progress when due; {@link #run} repeats rounds and waits on the inbox when one did
 * nothing.
 */
public final class Tailer implements Runnable, DiscoveryListener, TaskParker, FileTable.Handles, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Tailer.class);
    private static final int RESOLVE_PER_ROUND = 512;
    private static final int EXAMINE_PER_ROUND = 4096;
    /**
     * At most one push of progress to the checkpointer per this many milliseconds, but a new open
     * minute goes at once, and so do read counts before their batch is handed on.
     */
    static final long PUSH_INTERVAL_MS = 200;

    private final AgentConfig config;
    private final AgentConfig.FileOptions opts;
    private final LongSupplier clock;
    private final Inbox inbox = new Inbox();
    private final Inbox.Handler messages = new Messages();
    private final ReadMinutes minutes = new ReadMinutes();
    private final TailerReports reports;
    private final TailerTasks tasks;
    private final FileTable table;
    private final HandlePool pool;
    private final ReadScheduler scheduler;
    private final BatchAssembler assembler;
    private volatile boolean running = true;
    private volatile Thread thread;
    /** Driven by {@link #doWork} on another thread than {@link #run}'s: {@link #close} shuts it down on the caller's thread. */
    private boolean stepped;
    /** Where progress goes (the checkpointer's inbox); set before the tailer runs. */
    private Consumer<Progress<StreamInfo>> progress = p -> { };
    private long lastPushMillis = Long.MIN_VALUE / 2;
    /** The open minute of the last push (-1 = none announced yet). */
    private long pushedOpenMinute = -1;
    /** The tailer after it stopped: what status and metrics get from then on. */
    private volatile TailerSnapshot finalSnapshot;
    /** Directories of fast files (immutable snapshot for discovery; replaced when it changes). */
    private volatile Set<Path> busyDirectories = Set.of();
    private long lastHousekeeping;
    /** A look at each open file due, for the scheduler's rounds (one object for every round: a round allocates nothing). */
    private final ReadScheduler.Turn looks = new ReadScheduler.Turn() {
        @Override
        public boolean look(TrackedFile f, long t) {
            return turn(f, t);
        }

        @Override
        public void after(TrackedFile f, long t) {
            classify(f, t);
        }
    };
    private final java.util.function.BooleanSupplier isRunning = () -> running;

    public Tailer(AgentConfig config, BatchOutlet outlet, SendWindow window, List<CheckpointEntry> checkpoints, LongSupplier clockMillis) {
        // The finished batches come from Netty's default (adaptive) allocator, which keeps a few of its
        // chunks for reuse. PooledByteBufAllocator.DEFAULT destroyed a chunk each time its batches were
        // all acknowledged and made a new one (allocateDirect: zeroed, page-faulted) on the compressing
        // thread: a third of that thread's CPU with codec none (perf, 2026-12-03).
        this(config, outlet, window, checkpoints, clockMillis, ByteBufAllocator.DEFAULT,
                new RecordReader(config.files().readBufferBytes()));
    }

    /**
     * @param allocator where finished batches are allocated (tests inject allocation failures)
     * @param reader    cuts the files' bytes into records (tests inject a failure part-way through a read)
     */
    Tailer(AgentConfig config, BatchOutlet outlet, SendWindow window, List<CheckpointEntry> checkpoints, LongSupplier clockMillis,
           ByteBufAllocator allocator, RecordReader reader) {
        this.config = config;
        this.opts = config.files();
        this.clock = clockMillis;
        this.table = new FileTable(opts, config.discovery().intervalMs() + 5_000, config.checkpoint().retentionMs(), this);
        this.scheduler = new ReadScheduler(opts, config.batch(), window);
        this.pool = new HandlePool(opts.maxOpen(), new HandlePool.Events() {
            @Override
            public void opened(TrackedFile f, boolean pendingIdentity, long now) {
                Tailer.this.opened(f, pendingIdentity, now);
            }

            @Override
            public void openFailed(TrackedFile f, Exception e, long now) {
                table.fileError(f, e);
                f.retryAtMillis = now + 5_000;
            }
        });
        this.assembler = new BatchAssembler(config, outlet, window, minutes, table, this, scheduler, inbox::room, allocator, reader,
                () -> pushProgress(clock.getAsLong(), true));
        this.tasks = new TailerTasks(checkpoints, table, this, config.send().parkRetryMs());
        this.reports = new TailerReports(config.discovery().maxFilesPerTask());
        window.onRoom(inbox::room);
    }

    // ------------------------------------------------------------------ API for other threads

    /** Replaces the set of tasks (local and from ZooKeeper). */
    public void setTasks(Map<String, TaskSpec> specs) {
        inbox.control(new Inbox.TasksChanged(Map.copyOf(specs)));
    }

    @Override
    public void onScan(ScanResult result) {
        inbox.scan(result);
    }

    @Override
    public void onWrites(Set<Path> files) {
        inbox.hint(new Inbox.Wake(Set.copyOf(files)));
    }

    @Override
    public void park(String taskId, long epoch, Map<Long, Long> rewind, String error) {
        inbox.control(new Inbox.Park(taskId, epoch, Map.copyOf(rewind), error));
    }

    @Override
    public void rewind(String taskId, Map<Long, Long> rewind) {
        inbox.control(new Inbox.Rewind(taskId, Map.copyOf(rewind)));
    }

    /**
     * Where the tailer pushes its progress for the checkpointer (set before it runs): the streams
     * created or moved since the previous push (with their counted offsets), the lines and bytes
     * counted as read since then up to those offsets, per task and minute, and the open minute
     * ({@link #persistKeys}). Pushed from the tailer's thread at most every {@value
     * #PUSH_INTERVAL_MS} ms when something moved, at once when it announces a new open minute or is
     * about to hand on a batch whose lines it counted and has not pushed yet (so the shipper's
     * acknowledgement of them cannot reach the checkpointer first), and a last time when it stops.
     * Each push is handed over once: the sink must keep what it is given (a {@link
     * io.datastream.agent.checkpoint.ProgressInbox} merges pushes not taken yet).
     */
    public void progressTo(Consumer<Progress<StreamInfo>> sink) {
        this.progress = sink;
    }

    /**
     * Reads new lines only in a minute that a written checkpoint holds (call before the tailer runs):
     * each round that sees a new minute announces it as the open minute (pushed at once), and new
     * lines wait until {@link #persisted} says a checkpoint with it is written; lines after a
     * checkpoint's counted offsets were therefore sent, if at all, in its open minute. The lines a
     * stopped process may
     * have sent unknown to its checkpoint (from a stream's counted offset to its size when first
     * read here) are read in that process's open minute.
     *
     * @param stoppedOpenMinute the loaded checkpoint's open minute (-1 = none)
     */
    public void persistKeys(long stoppedOpenMinute) {
        minutes.persistKeys(stoppedOpenMinute);
    }

    /** A checkpoint holding {@code openMinute} is written (the checkpointer's thread). */
    public void persisted(long openMinute) {
        inbox.control(new Inbox.Persisted(openMinute));
    }

    /**
     * Per-task counters and file classes, and the open handles, for status and metrics. Taking one
     * changes nothing: the progress for the checkpointer goes its own way ({@link #progressTo}).
     * Once the tailer stopped, its last state.
     */
    public CompletableFuture<TailerSnapshot> snapshot() {
        CompletableFuture<TailerSnapshot> f = new CompletableFuture<>();
        TailerSnapshot last = finalSnapshot;
        if (last != null) {
            f.complete(last);
        } else if (!running) {
            f.completeExceptionally(new IllegalStateException("tailer stopped"));
        } else {
            inbox.control(new Inbox.SnapshotRequest(f));
            afterStop(f);
        }
        return f;
    }

    /** A request queued after the tailer drained its inbox is answered with the final snapshot. */
    private void afterStop(CompletableFuture<TailerSnapshot> f) {
        TailerSnapshot last = finalSnapshot;
        if (last != null) {
            f.complete(last);
        }
    }

    public CompletableFuture<List<FileStatus>> fileStatuses() {
        CompletableFuture<List<FileStatus>> f = new CompletableFuture<>();
        if (!running) {
            f.completeExceptionally(new IllegalStateException("tailer stopped"));
        } else {
            inbox.control(new Inbox.FilesRequest(f));
            if (finalSnapshot != null) {
                f.complete(List.of()); // queued after the tailer drained its inbox: answered as the drain answers
            }
        }
        return f;
    }

    /** Hints dropped because the inbox was nearly full (they are repeated by the next scan or poll). */
    public long droppedHints() {
        return inbox.droppedHints();
    }

    // ------------------------------------------------------------------ the loop

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            while (running) {
                try {
                    long now = clock.getAsLong();
                    if (!doWork(now) && running) {
                        idle(now);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (RuntimeException e) {
                    LOG.error("tailer round failed; going on", e);
                }
            }
        } finally {
            shutdown();
        }
    }

    /**
     * One round at {@code nowMillis}, without waiting: takes the inbox's messages, fingerprints new
     * files, opens wanted ones, looks at each open file due, and does the upkeep once a second.
     * Returns whether a look read something. Tests call it on their own thread with a manual clock
     * instead of {@link #run}; {@link #close} then shuts the tailer down on the caller's thread.
     */
    boolean doWork(long nowMillis) {
        if (thread != Thread.currentThread()) {
            stepped = true;
        }
        long now = nowMillis;
        assembler.drain(now); // batches compressed since the last round go to the outlet
        Inbox.Message m;
        for (int drained = 0; drained < Inbox.CAPACITY && (m = inbox.poll()) != null; drained++) {
            m.deliver(messages, now);
        }
        for (TaskRuntime t : tasks.all()) {
            table.resolvePending(t, now, EXAMINE_PER_ROUND, RESOLVE_PER_ROUND);
        }
        pool.openWanted(now);
        boolean worked = scheduler.round(pool.open(), now, isRunning, looks);
        if (now - lastHousekeeping >= 1000) {
            lastHousekeeping = now;
            housekeeping(now);
            publishBusyDirectories();
        }
        pushProgress(now, false);
        assembler.handOver(); // the round's batches to the shipper together
        return worked;
    }

    /** Waits until every batch read so far is compressed and handed to the outlet (tests that step with {@link #doWork}). */
    void awaitCompressed() {
        assembler.drainAll();
    }

    /**
     * Pushes the progress (streams that moved, read counts, the open minute) when a new open minute
     * is announced, or when something moved and the last push is {@value #PUSH_INTERVAL_MS} ms old;
     * everything left when {@code last} (also before a counted batch is handed on). Taken together
     * on this thread: the checkpoint never holds a count without its offset.
     */
    private void pushProgress(long now, boolean last) {
        long openMinute = minutes.openMinute(now); // a new minute makes new lines wait until a checkpoint holds it
        if (!last && openMinute == pushedOpenMinute && !(progressWaiting() && now - lastPushMillis >= PUSH_INTERVAL_MS)) {
            return;
        }
        lastPushMillis = now;
        pushedOpenMinute = openMinute;
        progress.accept(new Progress<>(reports.takeChanged(tasks.all()), assembler.takeReadCounts(), openMinute));
    }

    /** Whether progress waits for its push (an idle wait ends when it is due). */
    private boolean progressWaiting() {
        return reports.hasChanged() || assembler.hasReadCounts();
    }

    /**
     * Waits for a message after a round that did nothing, as long as the scheduler allows; a hint
     * that changes nothing (a write to a fast file, polled anyway) does not end the wait: a busy log
     * writer would otherwise wake the tailer for every write.
     */
    private void idle(long now) throws InterruptedException {
        long deadline = now + scheduler.idleWaitMillis(pool.hasWanted(), now);
        if (progressWaiting()) {
            deadline = Math.min(deadline, Math.max(now + 1, lastPushMillis + PUSH_INTERVAL_MS));
        }
        while (running) {
            Inbox.Message m = inbox.poll(deadline - clock.getAsLong());
            if (m == null || m.deliver(messages, clock.getAsLong())) {
                break;
            }
        }
    }

    /** The inbox's messages, one method each. */
    private final class Messages implements Inbox.Handler {
        @Override
        public boolean tasksChanged(Map<String, TaskSpec> specs, long now) {
            tasks.apply(specs, now);
            return true;
        }

        @Override
        public boolean scanned(ScanResult r, long now) {
            TaskRuntime t = tasks.get(r.spec().id());
            if (t != null && t.spec.equals(r.spec())) {
                table.onScan(t, r, now);
            }
            return true;
        }

        @Override
        public boolean written(Set<Path> paths, long now) {
            return scheduler.wake(paths, pool.open(), table::written);
        }

        @Override
        public boolean room() {
            return true; // the send window has room again, or a compressed batch is ready: the next round drains and reads
        }

        @Override
        public boolean park(Inbox.Park p, long now) {
            tasks.park(p, now);
            return true;
        }

        @Override
        public boolean rewind(String taskId, Map<Long, Long> offsets, long now) {
            tasks.rewind(taskId, offsets, now);
            return true;
        }

        @Override
        public boolean persisted(long openMinute) {
            minutes.persisted(openMinute); // new lines may be read again when it holds the pending minute
            return true;
        }

        @Override
        public boolean snapshotRequested(CompletableFuture<TailerSnapshot> future) {
            future.complete(snapshotNow());
            return false;
        }

        @Override
        public boolean filesRequested(CompletableFuture<List<FileStatus>> future) {
            future.complete(TailerReports.files(tasks.all()));
            return true;
        }
    }

    // ------------------------------------------------------------------ one look at a file

    /** One look at an open file: detects truncation, and builds at most one batch. True if it read. */
    private boolean turn(TrackedFile f, long now) {
        FileStream s = f.stream();
        long size;
        try {
            size = f.channel.size();
        } catch (IOException e) {
            table.fileError(f, e);
            close(f);
            return false;
        }
        if (size < f.size || size < s.cursor.offset()) {
            table.contentChanged(f, size, now);
            return true;
        }
        // What the stream is known to have held, should growth turn out to be new content after a
        // truncation: growth not yet checked against the first bytes may belong to the new content.
        long streamSize = Math.max(f.verifiedSize, s.cursor.offset());
        if (size > f.size) {
            scheduler.grew(f, size, now);
        }
        if (f.verifyNow) { // rewritten in place to the same size while nothing was left to read? (FileTable)
            f.verifyNow = false;
            f.verifiedSize = -1;
            Check c = verify(f, size, streamSize, now);
            if (c != Check.SAME) {
                return c == Check.CHANGED;
            }
        }
        long idle = now - f.lastGrowthMillis;
        boolean finalFlush = table.rules().finalFlushDue(f, now);
        boolean timeoutFlush = f.task.rules.multiline() && idle >= f.task.rules.flushTimeoutMs() && f.timeoutFlushedSize != size;
        long pending = size - s.cursor.offset();
        if (pending <= 0 && !s.cursor.skipping()) {
            scheduler.caughtUp(f, s.cursor.offset(), now);
            return false;
        }
        if (size == f.idleSize && !finalFlush && !timeoutFlush) {
            return false; // only a partial line (or a pending group) is there
        }
        if (scheduler.lingers(f, pending, finalFlush || timeoutFlush, now)) {
            return false;
        }
        long budget = scheduler.budget(f, now);
        if (budget <= 0) {
            return false;
        }
        // Truncated and written again between two looks? The first bytes, checked after the read, tell (BatchAssembler).
        return assembler.read(f, size, budget, finalFlush, timeoutFlush, now);
    }

    /** What a look at a file's first bytes found. */
    enum Check {
        /** Still its stream's first bytes. */
        SAME,
        /** Other bytes: its content is no longer the stream's ({@link RotationRules#contentChanged} was applied). */
        CHANGED,
        /** A read error: the file is closed. */
        FAILED
    }

    /** Checks the first bytes of an open file ({@code size} bytes now) against its stream's. */
    private Check verify(TrackedFile f, long size, long streamSize, long now) {
        try {
            if (!table.verify(f)) {
                table.contentChanged(f, size, streamSize, now);
                return Check.CHANGED;
            }
        } catch (IOException e) {
            table.fileError(f, e);
            close(f);
            return Check.FAILED;
        }
        f.verifiedSize = size;
        return Check.SAME;
    }

    /** After a look: the file's class, then whether it is closed or released. */
    private void classify(TrackedFile f, long now) {
        scheduler.reclass(f, now);
        switch (table.rules().afterTurn(f, now)) {
            case RELEASE -> release(f, now);
            case CLOSE -> close(f);
            case KEEP -> { }
        }
    }

    // ------------------------------------------------------------------ handles

    /** A handle was opened: a file with a stream is checked against the stream's first bytes and read as fast. */
    private void opened(TrackedFile f, boolean pending, long now) {
        if (pending) {
            f.deniedHandle = false;
            f.sizeCheckedMillis = 0;
            LOG.debug("opened {} before its fingerprint is known", f.path);
            return;
        }
        try {
            if (!table.verify(f)) {
                table.contentChanged(f, f.channel.size(), now);
                return;
            }
            f.error = null;
        } catch (IOException e) {
            table.fileError(f, e);
            close(f);
            return;
        }
        scheduler.opened(f, now);
        LOG.debug("opened {} as stream {}", f.path, f.stream());
    }

    private void release(TrackedFile f, long now) {
        LOG.debug("releasing {} at offset {} of {}", f.path, f.stream() == null ? -1 : f.stream().cursor.offset(), f.size);
        f.task.files.remove(f.key);
        table.detach(f, now, false);
    }

    @Override
    public void wantOpen(TrackedFile f) {
        pool.want(f);
    }

    @Override
    public void close(TrackedFile f) {
        pool.close(f);
    }

    @Override
    public void dirty(FileStream s) {
        reports.dirty(s);
    }

    // ------------------------------------------------------------------ upkeep, reports

    private void publishBusyDirectories() {
        Set<Path> dirs = pool.fastDirectories();
        if (!dirs.equals(busyDirectories)) {
            busyDirectories = Set.copyOf(dirs);
        }
    }

    @Override
    public Set<Path> busyDirectories() {
        return busyDirectories;
    }

    private void housekeeping(long now) {
        for (TaskRuntime t : tasks.all()) {
            table.housekeeping(t, now);
            tasks.retryDue(t, now);
            List<TrackedFile> emptyGone = null;
            for (TrackedFile f : t.files.values()) {
                if (f.channel != null && f.stream() == null) {
                    PendingIdentity.Upkeep u = table.pendingUpkeep(f, now);
                    if (u == PendingIdentity.Upkeep.CLOSE) {
                        close(f);
                    } else if (u == PendingIdentity.Upkeep.RELEASE) {
                        emptyGone = emptyGone == null ? new ArrayList<>() : emptyGone;
                        emptyGone.add(f);
                    }
                } else if (f.error != null && f.channel == null && f.stream() != null && now >= f.retryAtMillis) {
                    wantOpen(f); // unreadable before: try again
                }
            }
            if (emptyGone != null) {
                for (TrackedFile f : emptyGone) {
                    release(f, now);
                }
            }
        }
    }

    private TailerSnapshot snapshotNow() {
        return reports.snapshot(tasks.all(), pool.size());
    }

    @Override
    public void close() {
        running = false;
        inbox.room(); // wakes the tailer thread
        Thread t = thread;
        if (stepped) {
            shutdown();
        } else if (t != null && t != Thread.currentThread()) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The last push (before the final checkpoint), then the final snapshot for status. */
    private void shutdown() {
        if (finalSnapshot != null) {
            return; // closed twice
        }
        pool.closeAll();
        assembler.close();
        pushProgress(clock.getAsLong(), true);
        TailerSnapshot last = snapshotNow();
        finalSnapshot = last;
        inbox.drain(last);
    }
}
