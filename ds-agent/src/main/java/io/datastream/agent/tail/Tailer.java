package io.datastream.agent.tail;

import io.datastream.agent.AgentConfig;
import io.datastream.agent.batch.BatchOutlet;
import io.datastream.agent.batch.SendWindow;
import io.datastream.agent.checkpoint.CheckpointEntry;
import io.datastream.agent.checkpoint.StreamInfo;
import io.datastream.agent.discovery.DiscoveryListener;
import io.datastream.agent.discovery.ScanResult;
import io.datastream.registry.member.DropReason;
import io.datastream.registry.task.TaskSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tailer thread: follows every task's files, cuts them into records and builds batches.
 * Single writer of all file state; other threads talk to it through its {@link Inbox} of typed
 * messages (scan results, write hints, task changes, parks, report requests). It is built from
 * pieces with one job each (docs/agent.md, "How the tailer is built"): the {@link FileTable}
 * applies scans and fingerprints new files, with the rotation rules in {@link RotationRules} and
 * each file's state in {@link TrackedFile}; the {@link HandlePool} keeps at most files.maxOpen
 * handles; the {@link ReadScheduler} picks which open file is read when and how much; the
 * {@link BatchAssembler} turns records into batches for the outlet. The tailer coordinates them:
 * one round ({@link #doWork}) takes the inbox's messages, fingerprints new files, opens wanted
 * ones, looks at each open file due (truncation, first bytes, then one batch) and does the upkeep;
 * {@link #run} repeats rounds and waits on the inbox when one did nothing.
 */
public final class Tailer implements Runnable, DiscoveryListener, TaskParker, FileTable.Handles, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Tailer.class);
    private static final int RESOLVE_PER_ROUND = 512;
    private static final int EXAMINE_PER_ROUND = 4096;
    /** Minutes back that a restarted agent still reads in the minute its stopped process was reading in. */
    static final long OPEN_MINUTE_MAX_AGE = ReadMinutes.OPEN_MINUTE_MAX_AGE;

    private final AgentConfig config;
    private final AgentConfig.FileOptions opts;
    private final LongSupplier clock;
    private final Inbox inbox = new Inbox();
    private final Inbox.Handler messages = new Messages();
    private final Map<String, TaskRuntime> tasks = new LinkedHashMap<>();
    private final Map<String, List<CheckpointEntry>> stashed = new HashMap<>();
    private final ReadMinutes minutes = new ReadMinutes();
    private final List<FileStream> dirty = new ArrayList<>();
    private final FileTable table;
    private final HandlePool pool;
    private final ReadScheduler scheduler;
    private final BatchAssembler assembler;
    private volatile boolean running = true;
    private volatile Thread thread;
    /** Driven by {@link #doWork} on another thread than {@link #run}'s: {@link #close} shuts it down on the caller's thread. */
    private boolean stepped;
    private volatile TailerReport finalReport;
    private final java.util.concurrent.atomic.AtomicBoolean finalCountsTaken = new java.util.concurrent.atomic.AtomicBoolean();
    /** Directories of fast files (immutable snapshot for discovery; replaced when it changes). */
    private volatile Set<Path> busyDirectories = Set.of();
    private long lastHousekeeping;

    public Tailer(AgentConfig config, BatchOutlet outlet, SendWindow window, List<CheckpointEntry> checkpoints, LongSupplier clockMillis) {
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
        this.assembler = new BatchAssembler(config, outlet, window, minutes, table, this, scheduler);
        for (CheckpointEntry e : checkpoints) {
            stashed.computeIfAbsent(e.taskId(), k -> new ArrayList<>()).add(e);
        }
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
     * Reads new lines only in a minute that a written checkpoint holds (call before the tailer runs):
     * each report that sees a new minute announces it as the open minute, and new lines wait until
     * {@link #persisted} says a checkpoint with it is written; lines after a checkpoint's counted
     * offsets were therefore sent, if at all, in its open minute. The lines a stopped process may
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

    /** Streams changed since the last report, and per-task counters. */
    public CompletableFuture<TailerReport> report() {
        CompletableFuture<TailerReport> f = new CompletableFuture<>();
        TailerReport last = finalReport;
        if (last != null) {
            f.complete(takeFinal(last));
        } else if (!running) {
            f.completeExceptionally(new IllegalStateException("tailer stopped"));
        } else {
            inbox.control(new Inbox.ReportRequest(f));
        }
        return f;
    }

    public CompletableFuture<List<FileStatus>> fileStatuses() {
        CompletableFuture<List<FileStatus>> f = new CompletableFuture<>();
        if (!running) {
            f.completeExceptionally(new IllegalStateException("tailer stopped"));
        } else {
            inbox.control(new Inbox.FilesRequest(f));
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
        Inbox.Message m;
        for (int drained = 0; drained < Inbox.CAPACITY && (m = inbox.poll()) != null; drained++) {
            m.deliver(messages, now);
        }
        for (TaskRuntime t : tasks.values()) {
            table.resolvePending(t, now, EXAMINE_PER_ROUND, RESOLVE_PER_ROUND);
        }
        pool.openWanted(now);
        boolean worked = scheduler.round(pool.open(), now, () -> running, new ReadScheduler.Turn() {
            @Override
            public boolean look(TrackedFile f, long t) {
                return turn(f, t);
            }

            @Override
            public void after(TrackedFile f, long t) {
                classify(f, t);
            }
        });
        if (now - lastHousekeeping >= 1000) {
            lastHousekeeping = now;
            housekeeping(now);
            publishBusyDirectories();
        }
        return worked;
    }

    /**
     * Waits for a message after a round that did nothing, as long as the scheduler allows; a hint
     * that changes nothing (a write to a fast file, polled anyway) does not end the wait: a busy log
     * writer would otherwise wake the tailer for every write.
     */
    private void idle(long now) throws InterruptedException {
        long deadline = now + scheduler.idleWaitMillis(pool.hasWanted());
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
            applyTasks(specs, now);
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
            return true; // the send window has room again: the next round reads
        }

        @Override
        public boolean park(Inbox.Park p, long now) {
            applyPark(p, now);
            return true;
        }

        @Override
        public boolean rewind(String taskId, Map<Long, Long> offsets, long now) {
            TaskRuntime t = tasks.get(taskId);
            if (t != null) {
                Tailer.this.rewind(t, offsets, now);
            }
            return true;
        }

        @Override
        public boolean persisted(long openMinute) {
            minutes.persisted(openMinute); // new lines may be read again when it holds the pending minute
            return true;
        }

        @Override
        public boolean reportRequested(CompletableFuture<TailerReport> future, long now) {
            future.complete(buildReport(now));
            return true;
        }

        @Override
        public boolean filesRequested(CompletableFuture<List<FileStatus>> future) {
            future.complete(fileList());
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
        if (f.verifyNow) {
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
            f.firstPendingMillis = -1;
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
        // Truncated and written again past the old size between two looks? The first bytes tell.
        if (size > f.verifiedSize) {
            Check c = verify(f, size, streamSize, now);
            if (c != Check.SAME) {
                return c == Check.CHANGED;
            }
        }
        return assembler.read(f, size, budget, finalFlush, timeoutFlush, now);
    }

    /** What a look at a file's first bytes found. */
    private enum Check {
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
        if (!s.dirty) {
            s.dirty = true;
            dirty.add(s);
        }
    }

    // ------------------------------------------------------------------ tasks, parks

    private void applyTasks(Map<String, TaskSpec> specs, long now) {
        for (Iterator<Map.Entry<String, TaskRuntime>> it = tasks.entrySet().iterator(); it.hasNext(); ) {
            TaskRuntime t = it.next().getValue();
            if (!specs.containsKey(t.id)) {
                it.remove();
                stop(t, now);
            }
        }
        for (TaskSpec spec : specs.values()) {
            TaskRuntime t = tasks.get(spec.id());
            if (t == null) {
                t = new TaskRuntime(spec, now);
                table.load(t, stashed.getOrDefault(spec.id(), List.of()));
                stashed.remove(spec.id());
                tasks.put(spec.id(), t);
                LOG.info("task {} started: {}", spec.id(), spec.paths());
            } else if (!t.spec.equals(spec)) {
                t.apply(spec, now);
                t.initialScanPending = false;
                if (t.parked) {
                    t.parked = false;
                    LOG.info("task {} changed; resuming it", spec.id());
                }
            }
        }
    }

    /** A removed task: closes its files and keeps its positions for when it comes back. */
    private void stop(TaskRuntime t, long now) {
        List<CheckpointEntry> keep = new ArrayList<>();
        for (TrackedFile f : new ArrayList<>(t.files.values())) {
            f.retire();
            close(f);
        }
        for (FileStream s : t.streams.values()) {
            keep.add(new CheckpointEntry(t.id, s.streamId, s.fingerprint, s.fingerprintLength, s.cursor.offset(),
                    s.key == null ? -1 : s.key.dev(), s.key == null ? -1 : s.key.ino(), s.path == null ? "" : s.path.toString(), now,
                    s.counted, new ArrayList<>(s.ranges)));
        }
        stashed.put(t.id, keep);
        LOG.info("task {} stopped", t.id);
    }

    private void applyPark(Inbox.Park p, long now) {
        TaskRuntime t = tasks.get(p.taskId());
        if (t == null || p.epoch() < t.epoch) {
            return;
        }
        t.epoch = Math.max(t.epoch, p.epoch()) + 1;
        t.parked = true;
        t.parkedUntilMillis = now + config.send().parkRetryMs();
        t.error(p.error());
        LOG.warn("task {} parked for {} ms: {}", t.id, config.send().parkRetryMs(), p.error());
        rewind(t, p.rewind(), now);
    }

    private void rewind(TaskRuntime t, Map<Long, Long> offsets, long now) {
        for (Map.Entry<Long, Long> e : offsets.entrySet()) {
            FileStream s = t.streams.get(e.getKey());
            long restart = e.getValue();
            if (s == null || restart >= s.cursor.offset()) {
                continue;
            }
            if (s.owner == null) {
                // released already (rotated away and drained): lost unless the file shows up again
                s.pendingLoss += s.cursor.offset() - restart;
                s.lossReason = DropReason.DELETED_UNREAD;
                s.orphanedAtMillis = now;
            }
            s.cursor.reset(restart);
            if (s.owner != null) {
                s.owner.idleSize = -1;
                s.owner.firstPendingMillis = -1;
                s.owner.timeoutFlushedSize = -1;
            }
        }
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
        for (TaskRuntime t : tasks.values()) {
            table.housekeeping(t, now);
            if (t.parked && now >= t.parkedUntilMillis) {
                t.parked = false;
                LOG.info("task {}: retrying after park", t.id);
                for (TrackedFile f : t.files.values()) {
                    if (f.stream() != null && f.channel == null) {
                        wantOpen(f);
                    }
                }
            }
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

    private TailerReport buildReport(long now) {
        List<StreamInfo> changed = new ArrayList<>(dirty.size());
        for (FileStream s : dirty) {
            s.dirty = false;
            TaskRuntime t = null;
            if (s.owner != null) {
                t = s.owner.task;
            }
            String taskId = t != null ? t.id : taskOf(s);
            if (taskId == null) {
                continue;
            }
            changed.add(new StreamInfo(taskId, s.streamId, s.fingerprint, s.fingerprintLength, s.initialOffset,
                    s.key == null ? -1 : s.key.dev(), s.key == null ? -1 : s.key.ino(), s.path == null ? "" : s.path.toString(), s.lastSeenMillis,
                    s.counted, new ArrayList<>(s.ranges)));
        }
        dirty.clear();
        Map<String, TaskReport> reports = new LinkedHashMap<>();
        for (TaskRuntime t : tasks.values()) {
            int fast = 0;
            int slow = 0;
            int inactive = 0;
            int rotated = 0;
            int waiting = 0;
            int skipped = 0;
            long unread = 0;
            long oldest = 0;
            for (TrackedFile f : t.files.values()) {
                if (f.stream() == null) {
                    if (f.skipped()) {
                        skipped++;
                    } else {
                        waiting++;
                    }
                    continue;
                }
                if (!f.present()) {
                    rotated++;
                } else if (f.fileClass == FileClass.FAST) {
                    fast++;
                } else if (f.fileClass == FileClass.SLOW) {
                    slow++;
                } else {
                    inactive++;
                }
                long u = Math.max(0, Math.max(f.size, f.scannedSize) - f.stream().cursor.offset());
                unread += u;
                if (u > 0 && f.firstPendingMillis > 0 && (oldest == 0 || f.firstPendingMillis < oldest)) {
                    oldest = f.firstPendingMillis;
                }
            }
            String lastError = t.lastError;
            if (lastError == null && !t.scanErrors.isEmpty()) {
                lastError = t.scanErrors.get(0);
            }
            if (t.overLimit && lastError == null) {
                lastError = "more files match than discovery.maxFilesPerTask (" + config.discovery().maxFilesPerTask() + "); the rest are ignored";
            }
            reports.put(t.id, new TaskReport(t.state(), t.files.size(), fast, slow, inactive, rotated, waiting, skipped, t.linesRead,
                    t.bytesRead, t.drops.lines(), t.drops.bytes(), t.splitRecords, t.errors + t.scanErrors.size(), lastError,
                    unread, oldest, t.overLimit, t.drops.bytesByReason(), t.drops.linesByReason()));
        }
        return new TailerReport(changed, reports, pool.size(), assembler.takeReadCounts(), minutes.openMinute(now));
    }

    private String taskOf(FileStream s) {
        for (TaskRuntime t : tasks.values()) {
            if (t.streams.get(s.streamId) == s) {
                return t.id;
            }
        }
        return null;
    }

    private List<FileStatus> fileList() {
        List<FileStatus> out = new ArrayList<>();
        for (TaskRuntime t : tasks.values()) {
            for (TrackedFile f : t.files.values()) {
                FileStream s = f.stream();
                out.add(new FileStatus(t.id, f.path.toString(), f.label(), s == null ? 0 : s.streamId, s == null ? 0 : s.cursor.offset(),
                        f.size, f.error, f.key.dev() == -2 ? -1 : f.key.ino()));
            }
        }
        return out;
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

    /** The final report, its read counts handed over only once (they add up in the checkpoint). */
    private TailerReport takeFinal(TailerReport last) {
        return finalCountsTaken.getAndSet(true) ? new TailerReport(last.changed(), last.tasks(), last.openFiles(), List.of(), last.openMinute())
                : last;
    }

    private void shutdown() {
        pool.closeAll();
        assembler.close();
        TailerReport last = buildReport(clock.getAsLong());
        finalReport = last;
        inbox.drain(() -> takeFinal(last));
    }
}
