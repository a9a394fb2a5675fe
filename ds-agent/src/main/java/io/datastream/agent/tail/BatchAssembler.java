package io.datastream.agent.tail;

import io.datastream.agent.AgentConfig;
import io.datastream.agent.batch.BatchOutlet;
import io.datastream.agent.batch.OutBatch;
import io.datastream.agent.batch.SendWindow;
import io.datastream.agent.checkpoint.CountedRange;
import io.datastream.agent.checkpoint.MinuteCounts;
import io.datastream.agent.compression.BatchBuffers;
import io.datastream.agent.compression.CompressionPool;
import io.datastream.protocol.batch.BatchBuilder;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.registry.member.DropReason;
import io.datastream.registry.task.TaskSpec;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records to batches: cuts one file's new bytes into records ({@link RecordReader}), appends them
 * to a {@link BatchBuilder} up to batch.maxBytes, batch.maxRecords and the router's limit, has the
 * batch compressed with the task's codec on the {@link CompressionPool} (batch.compressionThreads;
 * zero: right here) and hands the finished batches, in the order they were read, to the outlet as
 * {@link OutBatch}es, taking their room in the send window: together at the end of the tailer's
 * round ({@link #handOver}), or every {@value #HAND_OVER_BATCHES} batches. With every builder of the pool in
 * flight it reads nothing ({@link ReadScheduler#compressionFull}) until a batch comes back.
 *
 * <p>Keeps the read counts of the audit when a batch is read (not when it is compressed): a batch
 * of new lines is counted as read in its minute ({@link ReadMinutes}) and moves its stream's counted
 * offset; a batch below the counted offset is a re-read, cut at the end of its counted range and not
 * counted again. A batch whose compression failed is not lost: its stream is read again from the
 * batch's start (the later batches of the stream still in the pool are dropped, so the outlet sees
 * each stream's offsets in order), and the failure counts as an error of its task. Used by the
 * tailer thread only (the pool's workers only compress).
 */
final class BatchAssembler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchAssembler.class);
    /** Room for a batch's header (and LZ4's worst-case growth) beyond batch.maxBytes in a reused block. */
    private static final int BATCH_HEADER_ROOM = 8 << 10;
    /** How often the reused blocks that stayed free are given back. */
    private static final long TRIM_MILLIS = 10_000;

    private final AgentConfig config;
    private final String agentId;
    private final String host;
    private final BatchOutlet outlet;
    private final SendWindow window;
    private final ReadMinutes minutes;
    private final FileTable table;
    private final FileTable.Handles handles;
    private final ReadScheduler scheduler;
    private final RecordReader reader;
    /** The cursor of the stream being read as it was before the read (a failed read puts it back). */
    private final StreamCursor mark = new StreamCursor(0);
    private final CompressionPool<Pending> pool;
    /** Where the pool's builders allocate batches. */
    private final BatchBuffers buffers;
    /** The batches in the pool, in submission order (the pool hands them back in this order). */
    private final ArrayDeque<Pending> inPool = new ArrayDeque<>();
    /** Batches handed to the outlet at once, at most: a longer round hands over as it goes. */
    static final int HAND_OVER_BATCHES = 8;
    /** Finished batches not yet handed to the outlet ({@link #handOver}); their room in the window is taken. */
    private final List<OutBatch> ready = new ArrayList<>();
    /** A worker finished a batch and the tailer was told; cleared when the tailer drains. */
    private final AtomicBoolean wakeSent = new AtomicBoolean();
    private final BatchSink sink = new BatchSink();
    private final Runnable pushCounts;
    /** The builder being filled (during {@link #read} only). */
    private BatchBuilder builder;
    /** Batches whose compression failed since the agent started (their lines were read again); paces the warnings. */
    private long compressionFailures;
    /** Reads that failed with an unexpected exception since the agent started (their lines are read again); paces the log. */
    private long readFailures;
    /** The clock at the latest read or drain. */
    private long lastNow;
    /** The clock when the reused batch blocks were last trimmed. */
    private long lastTrim;
    /** Lines and bytes counted as read since the last push, per task and minute (handed to the checkpointer with the counted offsets). */
    private final Map<MinuteCounts.Key, MinuteCounts> readCounts = new HashMap<>();

    /** What a batch in the pool needs to become an {@link OutBatch}, read when it was submitted. */
    private static final class Pending {
        final TaskRuntime task;
        final FileStream stream;
        final long epoch;
        final long start;
        final long createdMillis;
        final boolean reread;
        /** Read before a failed batch of its stream was read again: dropped when it comes back. */
        boolean dropped;

        Pending(TaskRuntime task, FileStream stream, long start, long createdMillis, boolean reread) {
            this.task = task;
            this.stream = stream;
            this.epoch = task.epoch;
            this.start = start;
            this.createdMillis = createdMillis;
            this.reread = reread;
        }
    }

    /**
     * @param wake called on a compressing thread when a batch is finished: wakes the tailer (not
     *             called again before the next {@link #drain})
     * @param allocator where finished batches are allocated (the agent: Netty's default, adaptive allocator)
     * @param pushCounts pushes the read counts and counted offsets not pushed yet to the checkpointer;
     *                   called before a batch is handed on while there are any, so a checkpoint never
     *                   holds an acknowledgement of lines without their read count
     */
    BatchAssembler(AgentConfig config, BatchOutlet outlet, SendWindow window, ReadMinutes minutes, FileTable table,
                   FileTable.Handles handles, ReadScheduler scheduler, Runnable wake, ByteBufAllocator allocator,
                   RecordReader reader, Runnable pushCounts) {
        this.config = config;
        this.pushCounts = pushCounts;
        this.agentId = config.id();
        this.host = config.host();
        this.outlet = outlet;
        this.window = window;
        this.minutes = minutes;
        this.table = table;
        this.handles = handles;
        this.scheduler = scheduler;
        this.reader = reader;
        int threads = config.batch().compressionThreads();
        // large batches (codec none) in reused blocks: see BatchBuffers; the rest from the allocator
        // kept: as many as the send window and the pool can hold at once, trimmed every 10 s to what was used
        int keep = (int) Math.min(config.send().windowBatches(), config.send().windowBytes() / config.batch().maxBytes() + 1)
                + maxInFlight(threads);
        this.buffers = new BatchBuffers(allocator, config.batch().maxBytes() + BATCH_HEADER_ROOM, keep);
        this.pool = new CompressionPool<>(threads, maxInFlight(threads), buffers,
                config.batch().maxBytes() + TaskSpec.MAX_LINE_BYTES + 64, config.batch().maxRecords(), "ds-agent-compress",
                threads == 0 ? () -> { } : () -> {
                    if (wakeSent.compareAndSet(false, true)) {
                        wake.run();
                    }
                });
    }

    /** Batches read and not yet handed to the outlet, at most: one being filled, one per thread, one waiting to be drained. */
    static int maxInFlight(int threads) {
        return threads == 0 ? 1 : threads + 2;
    }

    /**
     * Reads one batch of {@code f} (its stream's bytes up to {@code size}, at most {@code budget})
     * and submits it. True if it read something or more is ready; a read error closes the file.
     */
    boolean read(TrackedFile f, long size, long budget, boolean finalFlush, boolean timeoutFlush, long now) {
        lastNow = now;
        builder = pool.acquire();
        if (builder == null) {
            drain(now);
            builder = pool.acquire();
            if (builder == null) {
                scheduler.compressionFull(); // every builder is in flight: read on when a batch comes back
                return false;
            }
        }
        try {
            return fill(f, size, budget, finalFlush, timeoutFlush, now);
        } finally {
            if (builder != null) {
                pool.giveBack(builder); // the read failed: the builder must not be lost to the pool
                builder = null;
            }
            drain(now); // with no compressing threads the batch is finished already
        }
    }

    /** Reads into {@link #builder} and submits or gives it back. */
    private boolean fill(TrackedFile f, long size, long budget, boolean finalFlush, boolean timeoutFlush, long now) {
        FileStream s = f.stream();
        TaskRuntime t = f.task;
        StreamCursor c = s.cursor;
        mark.copyFrom(c); // the counters before the read, and where a failed read goes back to
        long start = c.offset();
        // Batches and records must fit the router's limit whatever the config says (a record over
        // it is cut at the limit, and counted, like any over-long line).
        int routerMax = window.routerMaxBatchBytes();
        int fit = routerMax == Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.max(1024, (routerMax - 8192) * 0.98);
        sink.target = Math.min(config.batch().maxBytes(), fit);
        // the batch's minute: a re-read keeps the minute its lines were first read in (and ends where
        // that minute's lines end); after a restart the lines the stopped process may have sent
        // unknown to the checkpoint keep the minute it was reading in
        sink.limit = Long.MAX_VALUE;
        CountedRange range = null;
        if (start < s.counted) {
            range = s.rangeAt(start);
            sink.limit = range == null ? s.counted : range.endOffset();
        }
        long minute = minutes.minuteOf(s, start, size, range, now);
        if (minute < 0) {
            pool.giveBack(builder);
            builder = null;
            return false; // the minute is not in a written checkpoint yet: the lines wait in the file
        }
        sink.now = minute == Math.floorDiv(now, 60_000L) ? now : minute * 60_000L + 59_999L;
        builder.begin(source(s, f), start);
        RecordReader.Outcome outcome;
        try {
            outcome = reader.read(f.channel, c, t.rules(Math.max(TaskSpec.MIN_LINE_BYTES, fit - 32)), sink, budget, finalFlush,
                    timeoutFlush, now);
        } catch (java.io.EOFException e) {
            outcome = RecordReader.Outcome.BUDGET; // it shrank under us: the next look sees the truncation
        } catch (IOException e) {
            outcome = null;
            table.fileError(f, e);
        } catch (RuntimeException e) {
            readFailed(f, c, e, now);
            return false;
        }
        Tailer.Check check = moved(c) ? recheck(f, c, size, outcome == null, now) : Tailer.Check.SAME;
        if (check != Tailer.Check.SAME) {
            return check == Tailer.Check.CHANGED;
        }
        if (builder.isEmpty()) {
            pool.giveBack(builder);
        } else {
            submit(t, s, start, sink.now, outcome == RecordReader.Outcome.EOF);
        }
        builder = null;
        t.linesRead += c.records - mark.records;
        t.bytesRead += c.consumedBytes - mark.consumedBytes;
        if (c.droppedLines != mark.droppedLines || c.droppedBytes != mark.droppedBytes) {
            t.drops.add(DropReason.OVER_LONG_LINE, c.droppedLines - mark.droppedLines, c.droppedBytes - mark.droppedBytes);
        }
        t.splitRecords += c.splitRecords - mark.splitRecords;
        if (t.bucket != null) {
            t.bucket.consume(c.consumedBytes - mark.consumedBytes);
        }
        if (c.droppedLines > mark.droppedLines && !f.dropLogged) {
            f.dropLogged = true;
            LOG.warn("{}: truncated a record longer than maxLineBytes ({}); the rest is counted as dropped (logged once per file)",
                    f.path, t.rules.maxLineBytes());
        }
        if (outcome == RecordReader.Outcome.EOF) {
            f.idleSize = size;
            if (c.offset() >= size) {
                scheduler.caughtUp(f, c.offset(), now);
            }
            if (timeoutFlush) {
                f.timeoutFlushedSize = size;
            }
        } else if (outcome == RecordReader.Outcome.FULL && sink.limit == Long.MAX_VALUE && !finalFlush && !timeoutFlush) {
            // a full batch of new lines (no re-read cut at a counted range, no flush): the rest starts the next batch
            f.idleSize = -1;
            scheduler.readFull(f, c.offset(), size - c.offset(), now);
        } else if (outcome != null) {
            f.idleSize = -1;
            scheduler.noLinger(f, now); // more is ready: no linger
        }
        if (outcome == null) {
            handles.close(f); // retried when discovery sees the file change again
            return false;
        }
        return c.consumedBytes != mark.consumedBytes || outcome != RecordReader.Outcome.EOF;
    }

    /** Whether the read moved the cursor (cut records, or went on skipping an over-long one). */
    private boolean moved(StreamCursor c) {
        return c.offset != mark.offset || c.skipping != mark.skipping || c.skipPos != mark.skipPos || c.skipEnd != mark.skipEnd;
    }

    /**
     * Whether the bytes just read were still the stream's: the file's first bytes are checked again
     * after the read. A file truncated (copytruncate) and written again between two looks, to the
     * size the tailer last saw or past it, shows no shrink, and a check before the read would leave
     * a moment in which it could happen; only the first bytes after the read tell. If they changed
     * ({@link Tailer.Check#CHANGED}), the read is undone (its records go back to the pool unsent, the
     * cursor and its counters back to where the read began) and the stream leaves the file
     * ({@link RotationRules#contentChanged}: its copy continues it from there, and the new content
     * is read as a new stream). If the check fails ({@link Tailer.Check#FAILED}), the read is undone
     * and the file closed.
     *
     * @param failed the read itself ended in an I/O error (already counted as the file's error)
     */
    private Tailer.Check recheck(TrackedFile f, StreamCursor c, long size, boolean failed, long now) {
        long streamSize = Math.max(f.verifiedSize, mark.offset);
        boolean same;
        try {
            same = table.verify(f);
        } catch (IOException e) {
            c.copyFrom(mark); // the builder goes back to the pool unsent (read's finally)
            if (!failed) {
                table.fileError(f, e);
            }
            handles.close(f);
            return Tailer.Check.FAILED;
        }
        if (same) {
            f.verifiedSize = Math.max(f.verifiedSize, Math.max(size, c.offset));
            return Tailer.Check.SAME;
        }
        c.copyFrom(mark); // as above
        table.contentChanged(f, size, streamSize, now);
        return Tailer.Check.CHANGED;
    }

    /**
     * A read that failed part-way with an unexpected exception (a bug, not the file's fault): the
     * records it cut are not handed on (the builder goes back to the pool), the stream's cursor goes back to where the read began (its
     * counters too, so nothing is counted twice), the failure counts as an error of the task, and the
     * file is closed and opened again after 5 s, when the same bytes are read again. Nothing is lost;
     * a failure that repeats stalls only this file, visibly (its error and the task's error count).
     */
    private void readFailed(TrackedFile f, StreamCursor c, RuntimeException e, long now) {
        c.copyFrom(mark); // the builder goes back to the pool unsent (read's finally)
        readFailures++;
        String msg = "reading " + f.path + " from offset " + mark.offset() + " failed (" + e
                + "); reading it again from there in 5 s";
        f.error = msg;
        f.task.error(msg);
        if (Long.bitCount(readFailures) == 1) { // 1st, 2nd, 4th, ...: a failure that repeats does not flood the log
            LOG.error("task {}: {} (failure {})", f.task.id, msg, readFailures, e);
        }
        f.retryAtMillis = now + 5_000;
        handles.close(f);
    }

    /**
     * Counts the batch read (the audit) and hands it to the pool; it reaches the outlet through
     * {@link #drain}. A batch that ended at the end of its file ({@code atEnd}: the tailer has
     * nothing more of this file to read now) is compressed right here: handing it to a
     * compressing thread would only add two thread wake-ups and move its bytes to another core (a
     * steady writer). A batch read while more is waiting goes to a free compressing thread, or is
     * compressed here when all of them are busy (catching up: the tailer compresses too instead of
     * waiting for a builder).
     */
    private void submit(TaskRuntime t, FileStream s, long start, long now, boolean atEnd) {
        long end = builder.endOffset();
        boolean reread = start < s.counted;
        if (end > s.counted) {
            long minute = Math.floorDiv(now, 60_000L);
            if (!reread) {
                readCounts.merge(new MinuteCounts.Key(t.id, minute), MinuteCounts.read(t.id, minute, builder.recordCount(), end - start),
                        MinuteCounts::plus);
            }
            s.counted(end, minute);
            handles.dirty(s);
        }
        Pending p = new Pending(t, s, start, now, reread);
        inPool.add(p);
        if (atEnd) {
            pool.submitHere(builder, t.codec, p);
        } else {
            pool.submit(builder, t.codec, p);
        }
    }

    /** Hands every batch the pool has finished, in the order they were read, to the outlet (each round, and when woken). */
    void drain(long now) {
        lastNow = now;
        wakeSent.set(false);
        pool.drain(this::done);
        if (now - lastTrim >= TRIM_MILLIS) {
            lastTrim = now;
            buffers.trim();
        }
    }

    /** Waits for every batch in the pool and hands them all to the outlet (shutdown; deterministic test steps). */
    void drainAll() {
        wakeSent.set(false);
        pool.drainAll(this::done);
        handOver();
    }

    private void done(CompressionPool.Done<Pending> d) {
        Pending p = inPool.poll();
        if (p != d.context()) {
            throw new IllegalStateException("compression pool returned batches out of order");
        }
        FileStream s = p.stream;
        if (p.dropped) {
            if (d.batch() != null) {
                d.batch().release(); // its stream is read again from before it
            }
            return;
        }
        if (d.failed()) {
            failed(p, d);
            return;
        }
        OutBatch b = new OutBatch(p.task.id, p.epoch, s.streamId, s.fingerprint, s.fingerprintLength, p.start, d.endOffset(),
                d.records(), p.createdMillis, d.batch(), p.reread);
        if (!readCounts.isEmpty()) {
            pushCounts.run(); // the checkpointer has the counts before the shipper can have the acknowledgement
        }
        window.take(b.size());
        ready.add(b);
        if (ready.size() >= HAND_OVER_BATCHES) {
            handOver(); // a round over many files with data waiting: the shipper does not wait for all of it
        }
    }

    /**
     * Hands the batches finished since the last call to the outlet, in the order they were read, in
     * one hand-over: the tailer calls it at the end of each round, so the batches of the files read
     * in step in one round reach the shipper together (one wake-up of its thread and one write to
     * the router instead of one per batch).
     */
    void handOver() {
        if (!ready.isEmpty()) {
            try {
                outlet.submitAll(ready);
            } finally {
                ready.clear();
            }
        }
    }

    /**
     * A batch whose compression failed: its stream is read again from its start, or from the start
     * of a later batch of the stream still in the pool if that is lower (after a rewind); those later
     * batches are dropped when they come back.
     */
    private void failed(Pending p, CompressionPool.Done<Pending> d) {
        FileStream s = p.stream;
        long restart = p.start;
        for (Pending later : inPool) {
            if (later.stream == s && !later.dropped) {
                later.dropped = true;
                restart = Math.min(restart, later.start);
            }
        }
        compressionFailures++;
        String msg = "compressing a batch of " + s.path + " [" + p.start + ", " + d.endOffset() + ") failed (" + d.error()
                + "); reading it again from offset " + restart;
        p.task.error(msg);
        if (Long.bitCount(compressionFailures) == 1) { // 1st, 2nd, 4th, ...: a failure that repeats does not flood the log
            LOG.warn("task {}: {} (failure {})", p.task.id, msg, compressionFailures, d.error());
        }
        TailerTasks.rewind(s, restart, lastNow);
    }

    private BatchSource source(FileStream s, TrackedFile f) {
        String path = f.path.toString();
        if (s.source == null || s.sourceVersion != f.task.version || !s.source.path().equals(path)) {
            s.source = new BatchSource(f.task.id, agentId, host, path, s.streamId, f.task.headers);
            s.sourceVersion = f.task.version;
        }
        return s.source;
    }

    /** Whether lines were counted as read since the last {@link #takeReadCounts}. */
    boolean hasReadCounts() {
        return !readCounts.isEmpty();
    }

    /** The read counts since the last call (they add up in the checkpoint). */
    List<MinuteCounts> takeReadCounts() {
        List<MinuteCounts> read = new ArrayList<>(readCounts.values());
        readCounts.clear();
        return read;
    }

    /** Hands the batches still compressing to the outlet, then frees the pool's builders. */
    @Override
    public void close() {
        try {
            drainAll();
        } finally {
            pool.close();
            buffers.clear(); // blocks of batches still being sent come back to the list and go with it
        }
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

        /** The lines {@link #accept} would take, appended in the builder's one loop. */
        @Override
        public long acceptLines(byte[] buf, int from, int to, int maxLength) {
            int before = builder.recordCount();
            int end = builder.appendLines(buf, from, to, maxLength, target - 16, config.batch().maxRecords(), limit, now);
            return RecordSink.taken(builder.recordCount() - before, end);
        }
    }
}
