package io.datastream.agent.tail;

import io.datastream.agent.AgentConfig;
import io.datastream.agent.batch.BatchOutlet;
import io.datastream.agent.batch.OutBatch;
import io.datastream.agent.batch.SendWindow;
import io.datastream.agent.checkpoint.CountedRange;
import io.datastream.agent.checkpoint.MinuteCounts;
import io.datastream.protocol.batch.BatchBuilder;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.registry.member.DropReason;
import io.datastream.registry.task.TaskSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records to batches: cuts one file's new bytes into records ({@link RecordReader}), appends them
 * to a {@link BatchBuilder} up to batch.maxBytes, batch.maxRecords and the router's limit, compresses
 * the batch with the task's codec and hands it to the outlet as an {@link OutBatch}, taking its room
 * in the send window. Keeps the read counts of the audit: a batch of new lines is counted as read in
 * its minute ({@link ReadMinutes}) and moves its stream's counted offset; a batch below the counted
 * offset is a re-read, cut at the end of its counted range and not counted again. Used by the tailer
 * thread only.
 */
final class BatchAssembler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchAssembler.class);

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
    private final BatchBuilder builder;
    private final CodecSet codecs = new CodecSet();
    private final BatchSink sink = new BatchSink();
    /** Lines and bytes counted as read since the last push, per task and minute (handed to the checkpointer with the counted offsets). */
    private final Map<MinuteCounts.Key, MinuteCounts> readCounts = new HashMap<>();

    BatchAssembler(AgentConfig config, BatchOutlet outlet, SendWindow window, ReadMinutes minutes, FileTable table,
                   FileTable.Handles handles, ReadScheduler scheduler) {
        this.config = config;
        this.agentId = config.id();
        this.host = config.host();
        this.outlet = outlet;
        this.window = window;
        this.minutes = minutes;
        this.table = table;
        this.handles = handles;
        this.scheduler = scheduler;
        this.reader = new RecordReader(config.files().readBufferBytes());
        // Pooled (unsafe) direct buffers: appending a line is one memory copy, with no allocation.
        this.builder = new BatchBuilder(PooledByteBufAllocator.DEFAULT, config.batch().maxBytes() + TaskSpec.MAX_LINE_BYTES + 64,
                config.batch().maxRecords());
    }

    /**
     * Reads one batch of {@code f} (its stream's bytes up to {@code size}, at most {@code budget})
     * and submits it. True if it read something or more is ready; a read error closes the file.
     */
    boolean read(TrackedFile f, long size, long budget, boolean finalFlush, boolean timeoutFlush, long now) {
        FileStream s = f.stream();
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
        sink.limit = Long.MAX_VALUE;
        CountedRange range = null;
        if (start < s.counted) {
            range = s.rangeAt(start);
            sink.limit = range == null ? s.counted : range.endOffset();
        }
        long minute = minutes.minuteOf(s, start, size, range, now);
        if (minute < 0) {
            return false; // the minute is not in a written checkpoint yet: the lines wait in the file
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
            scheduler.noLinger(f, now); // more is ready: no linger
        }
        if (outcome == null) {
            handles.close(f); // retried when discovery sees the file change again
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
            handles.dirty(s);
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

    @Override
    public void close() {
        builder.close();
        codecs.close();
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
}
