package io.datastream.agent.tail;

import io.datastream.agent.AgentConfig;
import io.datastream.agent.batch.BatchOutlet;
import io.datastream.agent.batch.OutBatch;
import io.datastream.agent.batch.SendWindow;
import io.datastream.agent.checkpoint.CheckpointEntry;
import io.datastream.agent.checkpoint.CountedRange;
import io.datastream.agent.checkpoint.MinuteCounts;
import io.datastream.agent.checkpoint.StreamInfo;
import io.datastream.agent.discovery.DiscoveryListener;
import io.datastream.agent.discovery.ScanResult;
import io.datastream.protocol.batch.BatchBuilder;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.registry.member.DropReason;
import io.datastream.registry.task.TaskSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tailer thread: follows every task's files, cuts them into records and builds batches.
 * Single writer of all file state; other threads talk to it through one bounded inbox (scan
 * results, write hints, task changes, parks, report requests). Each round it fingerprints new
 * files, opens files that need reading (at most files.maxOpen open, evicting the quietest),
 * reads fast files and due slow files (one batch per file per round, round-robin, within the
 * send window and the task's rate limit), moves files between classes, and waits on the
 * inbox when there was nothing to do.
 */
public final class Tailer implements Runnable, DiscoveryListener, TaskParker, FileTable.Handles, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Tailer.class);
    private static final int INBOX = 4096;
    /** Inbox room kept for messages that must not be dropped (hints are dropped first). */
    private static final int RESERVED = 256;
    private static final int RESOLVE_PER_ROUND = 512;
    private static final int EXAMINE_PER_ROUND = 4096;
    private static final int OPEN_PER_ROUND = 256;

    private record TasksChanged(Map<String, TaskSpec> tasks) {
    }

    private record Wake(Set<Path> paths) {
    }

    /** A task's latest scan waits in {@link #pendingScans}; only this token travels in the inbox. */
    private record ScanReady(String taskId) {
    }

    private record Park(String taskId, long epoch, Map<Long, Long> rewind, String error) {
    }

    private record Rewind(String taskId, Map<Long, Long> rewind) {
    }

    private record Persisted(long openMinute) {
    }

    private record ReportRequest(CompletableFuture<TailerReport> future) {
    }

    private record FilesRequest(CompletableFuture<List<FileStatus>> future) {
    }

    private static final Object ROOM = new Object();

    private final AgentConfig config;
    private final AgentConfig.FileOptions opts;
    private final String agentId;
    private final String host;
    private final BatchOutlet outlet;
    private final SendWindow window;
    private final LongSupplier clock;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>(INBOX);
    private final Map<String, TaskRuntime> tasks = new LinkedHashMap<>();
    /** At most one unprocessed scan per task (a newer one replaces it): scans of many files are big. */
    private final java.util.concurrent.ConcurrentHashMap<String, ScanResult> pendingScans = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, List<CheckpointEntry>> stashed = new HashMap<>();
    /** Minutes back that a restarted agent still reads in the minute its stopped process was reading in. */
    static final long OPEN_MINUTE_MAX_AGE = 30;
    /** Whether new lines are read only in a minute a written checkpoint holds as its open minute (the agent, with reports on). */
    private volatile boolean keysPersisted;
    /** With {@link #keysPersisted}: the stopped process's open minute, for the lines it may have sent unknown to the checkpoint. */
    private volatile long restartOpenMinute = -1;
    /** The minute new lines are read in (-1 = none yet: wait for the first checkpoint); tailer thread. */
    private long keyMinute = -1;
    /** A minute announced to the checkpointer and not written yet: new lines wait for it; tailer thread. */
    private long pendingMinute = -1;
    private final List<TrackedFile> open = new ArrayList<>();
    /** Lines and bytes counted as read since the last report, per task and minute (handed to the checkpointer with the counted offsets). */
    private final Map<MinuteCounts.Key, MinuteCounts> readCounts = new HashMap<>();
    private final ArrayDeque<TrackedFile> wantOpen = new ArrayDeque<>();
    private final Set<Path> woken = new HashSet<>();
    private final List<FileStream> dirty = new ArrayList<>();
    private final FileTable table;
    private final RecordReader reader;
    private final BatchBuilder builder;
    private final CodecSet codecs = new CodecSet();
    private final BatchSink sink = new BatchSink();
    private final long turnBudget;
    private volatile boolean running = true;
    private volatile Thread thread;
    /** Driven by {@link #step} instead of {@link #run}: {@link #close} shuts it down on the caller's thread. */
    private boolean stepped;
    private volatile TailerReport finalReport;
    private final java.util.concurrent.atomic.AtomicBoolean finalCountsTaken = new java.util.concurrent.atomic.AtomicBoolean();
    /** Directories of fast files (immutable snapshot for discovery; replaced when it changes). */
    private volatile Set<Path> busyDirectories = Set.of();
    private long lastHousekeeping;
    private boolean windowFull;
    private long droppedHints;

    public Tailer(AgentConfig config, BatchOutlet outlet, SendWindow window, List<CheckpointEntry> checkpoints, LongSupplier clockMillis) {
        this.config = config;
        this.opts = config.files();
        this.agentId = config.id();
        this.host = config.host();
        this.outlet = outlet;
        this.window = window;
        this.clock = clockMillis;
        this.table = new FileTable(opts, config.discovery().intervalMs() + 5_000, config.checkpoint().retentionMs(), this);
        this.reader = new RecordReader(opts.readBufferBytes());
        // Pooled (unsafe) direct buffers: appending a line is one memory copy, with no allocation.
        this.builder = new BatchBuilder(PooledByteBufAllocator.DEFAULT, config.batch().maxBytes() + TaskSpec.MAX_LINE_BYTES + 64,
                config.batch().maxRecords());
        this.turnBudget = Math.max(1 << 20, 4L * config.batch().maxBytes());
        for (CheckpointEntry e : checkpoints) {
            stashed.computeIfAbsent(e.taskId(), k -> new ArrayList<>()).add(e);
        }
        window.onRoom(() -> offerHint(ROOM));
    }

    // ------------------------------------------------------------------ API for other threads

    /** Replaces the set of tasks (local and from ZooKeeper). */
    public void setTasks(Map<String, TaskSpec> specs) {
        offerControl(new TasksChanged(Map.copyOf(specs)));
    }

    @Override
    public void onScan(ScanResult result) {
        // Scans are snapshots: a newer one replaces one not processed yet.
        if (pendingScans.put(result.spec().id(), result) == null) {
            offerControl(new ScanReady(result.spec().id()));
        }
    }

    @Override
    public void onWrites(Set<Path> files) {
        offerHint(new Wake(Set.copyOf(files)));
    }

    @Override
    public void park(String taskId, long epoch, Map<Long, Long> rewind, String error) {
        offerControl(new Park(taskId, epoch, Map.copyOf(rewind), error));
    }

    @Override
    public void rewind(String taskId, Map<Long, Long> rewind) {
        offerControl(new Rewind(taskId, Map.copyOf(rewind)));
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
        this.restartOpenMinute = stoppedOpenMinute;
        this.keysPersisted = true;
    }

    /** A checkpoint holding {@code openMinute} is written (the checkpointer's thread). */
    public void persisted(long openMinute) {
        offerControl(new Persisted(openMinute));
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
            offerControl(new ReportRequest(f));
        }
        return f;
    }

    public CompletableFuture<List<FileStatus>> fileStatuses() {
        CompletableFuture<List<FileStatus>> f = new CompletableFuture<>();
        if (!running) {
            f.completeExceptionally(new IllegalStateException("tailer stopped"));
        } else {
            offerControl(new FilesRequest(f));
        }
        return f;
    }

    private void offerHint(Object m) {
        if (inbox.remainingCapacity() <= RESERVED || !inbox.offer(m)) {
            droppedHints++;
        }
    }

    private void offerControl(Object m) {
        if (!inbox.offer(m)) {
            // Never expected: control messages are rare and the inbox keeps room for them.
            LOG.error("tailer inbox full; dropping {}", m.getClass().getSimpleName());
            if (m instanceof ReportRequest r) {
                r.future().completeExceptionally(new IllegalStateException("tailer inbox full"));
            }
        }
    }

    // ------------------------------------------------------------------ the loop

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            while (running) {
                try {
                    round(true);
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

    /** One round that never waits, on the caller's thread instead of {@link #run}: tests drive the tailer step by step. */
    void step() throws InterruptedException {
        stepped = true;
        round(false);
    }

    private void round(boolean mayWait) throws InterruptedException {
        long now = clock.getAsLong();
        int drained = 0;
        for (Object m; drained < INBOX && (m = inbox.poll()) != null; drained++) {
            handle(m, now);
        }
        for (TaskRuntime t : tasks.values()) {
            table.resolvePending(t, now, EXAMINE_PER_ROUND, RESOLVE_PER_ROUND);
        }
        openWanted(now);
        windowFull = false;
        boolean worked = false;
        boolean anyFast = false;
        boolean lingering = false;
        for (int i = 0; i < open.size() && running; i++) {
            TrackedFile f = open.get(i);
            if (f.stream() == null || f.task.parked) {
                continue;
            }
            if (f.fileClass == FileClass.SLOW && !woken.contains(f.path) && now - f.lastCheckMillis < opts.slowPollMs()) {
                continue;
            }
            f.lastCheckMillis = now;
            if (!windowFull) {
                worked |= turn(f, now);
            }
            if (f.firstPendingMillis >= 0) {
                lingering = true;
            }
            classify(f, now);
            if (f.channel == null) {
                i--; // removed from the open list
            } else if (f.fileClass == FileClass.FAST) {
                anyFast = true;
            }
        }
        woken.clear();
        if (now - lastHousekeeping >= 1000) {
            lastHousekeeping = now;
            housekeeping(now);
            publishBusyDirectories();
        }
        if (!worked && running && mayWait) {
            long wait = anyFast ? opts.fastPollMs() : Math.min(opts.slowPollMs(), 1000);
            if (lingering) {
                wait = Math.min(wait, Math.max(1, config.batch().lingerMs() / 2));
            }
            if (!wantOpen.isEmpty() && !windowFull) {
                wait = Math.min(wait, opts.fastPollMs());
            }
            // Wait, but do not start a round for hints that change nothing (writes to fast files,
            // which are polled anyway): a busy log writer would otherwise wake us for every write.
            long deadline = now + wait;
            while (running) {
                long left = deadline - clock.getAsLong();
                Object m = left > 0 ? inbox.poll(left, TimeUnit.MILLISECONDS) : null;
                if (m == null || handle(m, clock.getAsLong())) {
                    break;
                }
            }
        }
    }

    /** Handles one message; true when it may have given the next round something to do. */
    private boolean handle(Object m, long now) {
        if (m instanceof ScanReady ready) {
            ScanResult r = pendingScans.remove(ready.taskId());
            TaskRuntime t = r == null ? null : tasks.get(r.spec().id());
            if (t != null && t.spec.equals(r.spec())) {
                table.onScan(t, r, now);
            }
        } else if (m instanceof Wake w) {
            woken.addAll(w.paths());
            boolean wakes = false;
            for (TrackedFile f : open) {
                if (w.paths().contains(f.path)) {
                    // no fingerprint yet: looked at now, before a copytruncate can take its first bytes away
                    wakes |= f.fileClass == FileClass.SLOW || table.written(f);
                }
            }
            return wakes;
        } else if (m == ROOM) {
            // the send window has room again: the next round reads
        } else if (m instanceof TasksChanged c) {
            applyTasks(c.tasks(), now);
        } else if (m instanceof Park p) {
            applyPark(p, now);
        } else if (m instanceof Rewind r) {
            TaskRuntime t = tasks.get(r.taskId());
            if (t != null) {
                rewind(t, r.rewind(), now);
            }
        } else if (m instanceof ReportRequest r) {
            r.future().complete(buildReport(now));
        } else if (m instanceof Persisted p) {
            if (pendingMinute >= 0 && p.openMinute() >= pendingMinute) {
                keyMinute = pendingMinute;
                pendingMinute = -1;
                return true; // new lines may be read again
            }
        } else if (m instanceof FilesRequest r) {
            r.future().complete(fileList());
        }
        return true;
    }

    // ------------------------------------------------------------------ reading

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
            f.size = size;
            f.lastGrowthMillis = now;
            f.fileClass = FileClass.FAST;
        }
        if (f.verifyNow) {
            f.verifyNow = false;
            f.verifiedSize = -1;
            try {
                if (!table.verify(f)) {
                    table.contentChanged(f, size, streamSize, now);
                    return true;
                }
            } catch (IOException e) {
                table.fileError(f, e);
                close(f);
                return false;
            }
            f.verifiedSize = size;
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
        if (f.firstPendingMillis < 0) {
            f.firstPendingMillis = now;
        }
        if (pending < config.batch().maxBytes() && now - f.firstPendingMillis < config.batch().lingerMs() && !finalFlush && !timeoutFlush) {
            return false;
        }
        TaskRuntime t = f.task;
        long budget = turnBudget;
        if (t.bucket != null) {
            long avail = t.bucket.available(now);
            if (avail <= 0) {
                return false;
            }
            budget = Math.min(budget, avail);
        }
        if (!window.hasRoom()) {
            windowFull = true;
            return false;
        }
        if (size > f.verifiedSize) {
            // Truncated and written again past the old size between two looks? The first bytes tell.
            try {
                if (!table.verify(f)) {
                    table.contentChanged(f, size, streamSize, now);
                    return true;
                }
            } catch (IOException e) {
                table.fileError(f, e);
                close(f);
                return false;
            }
            f.verifiedSize = size;
        }
        return read(f, s, size, budget, finalFlush, timeoutFlush, now);
    }

    private boolean read(TrackedFile f, FileStream s, long size, long budget, boolean finalFlush, boolean timeoutFlush, long now) {
        TaskRuntime t = f.task;
        StreamCursor c = s.cursor;
        long records0 = c.records;
        long consumed0 = c.consumedBytes;
        long dl0 = c.droppedLines;
        long db0 = c.droppedBytes;
        long split0 = c.splitRecords;
        long start = c.offset();
        // Batches and records must fit the router's limit whatever the config says (a record over
        // it is cut at the limit, and counted, like any over-long line).
        int routerMax = window.routerMaxBatchBytes();
        int fit = routerMax == Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.max(1024, (routerMax - 8192) * 0.98);
        sink.target = Math.min(config.batch().maxBytes(), fit);
        builder.begin(source(s, f), start);
        // the batch's minute: a re-read keeps the minute its lines were first read in (and ends where
        // that minute's lines end); after a restart the lines the stopped process may have sent
        // unknown to the checkpoint keep the minute it was reading in
        long minute = Math.floorDiv(now, 60_000L);
        sink.limit = Long.MAX_VALUE;
        if (s.openUntil < 0) { // first read in this process
            s.openUntil = size;
            s.openMinute = restartOpenMinute;
        }
        if (start < s.counted) {
            CountedRange r = s.rangeAt(start);
            sink.limit = r == null ? s.counted : r.endOffset();
            minute = r == null ? minute : Math.min(minute, r.minute());
        } else if (s.openMinute >= 0 && start < s.openUntil && minute - s.openMinute <= OPEN_MINUTE_MAX_AGE) {
            minute = Math.min(minute, s.openMinute);
        } else if (keysPersisted) {
            s.openMinute = -1;
            if (keyMinute < 0 || pendingMinute >= 0) {
                return false; // the minute is not in a written checkpoint yet: the lines wait in the file
            }
            minute = Math.min(minute, keyMinute);
        }
        sink.now = minute == Math.floorDiv(now, 60_000L) ? now : minute * 60_000L + 59_999L;
        RecordReader.Outcome outcome;
        try {
            outcome = reader.read(f.channel, c, t.rules(Math.max(TaskSpec.MIN_LINE_BYTES, fit - 32)), sink, budget, finalFlush,
                    timeoutFlush, now);
        } catch (java.io.EOFException e) {
            outcome = RecordReader.Outcome.BUDGET; // it shrank under us: the next look sees the truncation
        } catch (IOException e) {
            outcome = null;
            table.fileError(f, e);
        }
        if (!builder.isEmpty()) {
            submit(t, s, start, sink.now);
        }
        t.linesRead += c.records - records0;
        t.bytesRead += c.consumedBytes - consumed0;
        if (c.droppedLines != dl0 || c.droppedBytes != db0) {
            t.drops.add(DropReason.OVER_LONG_LINE, c.droppedLines - dl0, c.droppedBytes - db0);
        }
        t.splitRecords += c.splitRecords - split0;
        if (t.bucket != null) {
            t.bucket.consume(c.consumedBytes - consumed0);
        }
        if (c.droppedLines > dl0 && !f.dropLogged) {
            f.dropLogged = true;
            LOG.warn("{}: truncated a record longer than maxLineBytes ({}); the rest is counted as dropped (logged once per file)",
                    f.path, t.rules.maxLineBytes());
        }
        if (outcome == RecordReader.Outcome.EOF) {
            f.idleSize = size;
            f.firstPendingMillis = c.offset() >= size ? -1 : f.firstPendingMillis;
            if (timeoutFlush) {
                f.timeoutFlushedSize = size;
            }
        } else if (outcome != null) {
            f.idleSize = -1;
            f.firstPendingMillis = now - config.batch().lingerMs(); // more is ready: no linger
        }
        if (outcome == null) {
            close(f); // retried when discovery sees the file change again
            return false;
        }
        return c.consumedBytes != consumed0 || outcome != RecordReader.Outcome.EOF;
    }

    private void submit(TaskRuntime t, FileStream s, long start, long now) {
        ByteBuf bytes = builder.finish(codecs.get(t.codec));
        if (bytes.capacity() > 2 * bytes.readableBytes() + 1024) {
            bytes.capacity(bytes.readableBytes()); // do not hold an uncompressed-sized buffer per batch
        }
        long end = builder.endOffset();
        boolean reread = start < s.counted;
        if (end > s.counted) {
            long minute = Math.floorDiv(now, 60_000L);
            if (!reread) {
                readCounts.merge(new MinuteCounts.Key(t.id, minute), MinuteCounts.read(t.id, minute, builder.recordCount(), end - start),
                        MinuteCounts::plus);
            }
            s.counted(end, minute);
            dirty(s);
        }
        OutBatch b = new OutBatch(t.id, t.epoch, s.streamId, s.fingerprint, s.fingerprintLength, start, end,
                builder.recordCount(), now, bytes, reread);
        window.take(b.size());
        outlet.submit(b);
    }

    private BatchSource source(FileStream s, TrackedFile f) {
        String path = f.path.toString();
        if (s.source == null || s.sourceVersion != f.task.version || !s.source.path().equals(path)) {
            s.source = new BatchSource(f.task.id, agentId, host, path, s.streamId, f.task.headers);
            s.sourceVersion = f.task.version;
        }
        return s.source;
    }

    /** Adds records to the batch until it reaches batch.maxBytes or batch.maxRecords. */
    private final class BatchSink implements RecordSink {
        long now;
        int target;
        /** Offset a batch must not run past (the stream's counted offset while re-reading). */
        long limit = Long.MAX_VALUE;

        @Override
        public boolean accept(byte[] buf, int index, int length, long gap) {
            if (!builder.isEmpty() && (builder.uncompressedBytes() + length + 16 > target
                    || builder.recordCount() >= config.batch().maxRecords()
                    || builder.endOffset() + length + gap > limit)) {
                return false;
            }
            return builder.tryAppend(buf, index, length, gap, now);
        }
    }

    // ------------------------------------------------------------------ classes and handles

    private void classify(TrackedFile f, long now) {
        if (f.channel != null && f.stream() != null) {
            if (!f.drained()) {
                f.fileClass = FileClass.FAST; // data left to read: read on continuously, whatever its age
            } else if (f.fileClass == FileClass.FAST && now - f.lastGrowthMillis >= opts.slowAfterMs()) {
                f.fileClass = FileClass.SLOW;
            }
        }
        switch (table.rules().afterTurn(f, now)) {
            case RELEASE -> release(f, now);
            case CLOSE -> close(f);
            case KEEP -> { }
        }
    }

    private void release(TrackedFile f, long now) {
        LOG.debug("releasing {} at offset {} of {}", f.path, f.stream() == null ? -1 : f.stream().cursor.offset(), f.size);
        f.task.files.remove(f.key);
        table.detach(f, now, false);
    }

    @Override
    public void wantOpen(TrackedFile f) {
        if (!f.wantOpen && f.channel == null && !f.removed()) {
            f.wantOpen = true;
            wantOpen.add(f);
        }
    }

    @Override
    public void close(TrackedFile f) {
        if (f.channel == null) {
            return;
        }
        try {
            f.channel.close();
        } catch (IOException e) {
            LOG.debug("closing {}: {}", f.path, e.toString());
        }
        f.channel = null;
        f.fileClass = FileClass.INACTIVE;
        open.remove(f);
        if (f.stream() != null) {
            f.stream().source = null; // rebuilt when the file is read again: closed files hold no header bytes
        }
        LOG.debug("closed {}", f.path);
    }

    @Override
    public void dirty(FileStream s) {
        if (!s.dirty) {
            s.dirty = true;
            dirty.add(s);
        }
    }

    private void openWanted(long now) {
        int n = 0;
        while (!wantOpen.isEmpty() && n < OPEN_PER_ROUND) {
            TrackedFile f = wantOpen.peek();
            boolean pending = f.stream() == null; // identity not known yet (empty, short): followed by its handle
            if (f.removed() || f.channel != null || f.task.parked || (pending && (f.skipped() || f.compression() != null || !f.pendingResolve))) {
                wantOpen.poll();
                f.wantOpen = false;
                continue;
            }
            if (open.size() >= opts.maxOpen()) {
                if (pending && f.present()) {
                    // a handle only if one is free: it is fingerprinted without one, and a scan follows it by inode
                    wantOpen.poll();
                    f.wantOpen = false;
                    f.deniedHandle = true;
                    continue;
                }
                if (!evictOne()) {
                    return; // every open file still has data to read: wait
                }
            }
            wantOpen.poll();
            f.wantOpen = false;
            n++;
            FileChannel ch;
            try {
                ch = FileTable.open(f);
            } catch (NoSuchFileException e) {
                continue; // gone; the next scan forgets it
            } catch (IOException | SecurityException e) {
                table.fileError(f, e);
                f.retryAtMillis = now + 5_000;
                continue;
            }
            f.channel = ch;
            open.add(f);
            if (pending) {
                f.deniedHandle = false;
                f.sizeCheckedMillis = 0;
                LOG.debug("opened {} before its fingerprint is known", f.path);
                continue;
            }
            try {
                if (!table.verify(f)) {
                    table.contentChanged(f, ch.size(), now);
                    continue;
                }
                f.error = null;
            } catch (IOException e) {
                table.fileError(f, e);
                close(f);
                continue;
            }
            f.fileClass = FileClass.FAST;
            f.lastGrowthMillis = now;
            f.lastCheckMillis = 0;
            f.idleSize = -1;
            LOG.debug("opened {} as stream {}", f.path, f.stream());
        }
    }

    /** Closes the open file quiet for longest that can be reopened and has nothing left to read. */
    private boolean evictOne() {
        TrackedFile victim = null;
        for (TrackedFile f : open) {
            boolean idle = f.stream() == null ? f.dupOf() == null : f.drained(); // no fingerprint yet: found again by the next scan
            if (f.present() && idle && (victim == null || f.lastGrowthMillis < victim.lastGrowthMillis)) {
                victim = f;
            }
        }
        if (victim == null) {
            return false;
        }
        close(victim);
        return true;
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

    private void applyPark(Park p, long now) {
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
        Set<Path> dirs = new HashSet<>();
        for (TrackedFile f : open) {
            if (f.fileClass == FileClass.FAST && f.path.getParent() != null) {
                dirs.add(f.path.getParent());
            }
        }
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
        List<MinuteCounts> read = new ArrayList<>(readCounts.values());
        readCounts.clear();
        long openMinute = -1;
        if (keysPersisted) {
            long m = Math.floorDiv(now, 60_000L);
            if (pendingMinute < 0 && keyMinute != m) {
                pendingMinute = m; // new lines wait from now until a checkpoint holds it
            }
            openMinute = pendingMinute >= 0 ? pendingMinute : keyMinute;
        }
        return new TailerReport(changed, reports, open.size(), read, openMinute);
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

    /** Hints dropped because the inbox was nearly full (they are repeated by the next scan or poll). */
    public long droppedHints() {
        return droppedHints;
    }

    @Override
    public void close() {
        running = false;
        offerHint(ROOM);
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
        for (TrackedFile f : new ArrayList<>(open)) {
            close(f);
        }
        builder.close();
        codecs.close();
        TailerReport last = buildReport(clock.getAsLong());
        finalReport = last;
        for (Object m; (m = inbox.poll()) != null; ) {
            if (m instanceof ReportRequest r) {
                r.future().complete(takeFinal(last));
            } else if (m instanceof FilesRequest r) {
                r.future().complete(List.of());
            }
        }
    }
}
