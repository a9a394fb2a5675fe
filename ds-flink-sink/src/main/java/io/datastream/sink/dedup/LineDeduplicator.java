package io.datastream.sink.dedup;

import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.batch.Batch;
import io.datastream.protocol.batch.ReservedHeaders;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.envelope.Envelope;
import io.datastream.protocol.report.MinuteLedger;
import io.datastream.protocol.report.ReportCount;
import io.datastream.sink.config.DedupConfig;
import io.datastream.sink.config.LineFormat;
import io.datastream.sink.deadletter.DeadLetter;
import io.datastream.sink.deadletter.DeadLetters;
import io.datastream.sink.decode.SourceBatch;
import io.datastream.sink.eventid.EventIdLine;
import io.datastream.sink.eventid.EventIdReader;
import io.datastream.sink.eventtime.EventTimeParsers;
import io.datastream.sink.eventtime.LineTimeParser;
import io.datastream.sink.metrics.SinkMetric;
import io.datastream.sink.metrics.TaskCounters;
import io.datastream.sink.metrics.TaskMetrics;
import io.datastream.sink.output.BucketChunks;
import io.datastream.sink.output.ChunkBuilder;
import io.datastream.sink.output.OutputChunk;
import io.datastream.sink.output.TimeBuckets;
import io.datastream.sink.report.CommittedCounts;
import io.netty.buffer.ByteBuf;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops every line that was already delivered. A line's identity is (task, agent, fingerprint,
 * offset): the stream is keyed by source file (agent, fingerprint), and within a file each task
 * has its own delivered ranges, so two tasks reading the same file each deliver every line once.
 *
 * <p>State per file and task: the {@link DeliveredRanges} of byte offsets the task already wrote
 * ({@value #STATE_NAME_V2}, a map from task id to ranges). A line {@code [offset, nextOffset)} is
 * dropped iff the ranges cover it; otherwise it is written and its range is added. So a re-sent
 * batch, a batch that partly overlaps earlier ones and batches arriving out of order are all
 * handled line by line. A batch that is wholly covered is dropped without decompressing it. The
 * state is part of every checkpoint, together with the Kafka offsets and the file sink's pending
 * files; each task's ranges expire {@code dedup.ttl} after they were last read or written.
 *
 * <p><b>State versions.</b> Version 1 ({@value #STATE_NAME}, release 0.1) kept one
 * {@code long[]} per file, without the task. It is still declared so that a job restored from a
 * 0.1 checkpoint or savepoint finds it, and read-only: when a task has no ranges of its own for a
 * file yet, the file's version-1 ranges stand for it (version 1 delivered those bytes for one
 * task and dropped them for every other one, and which task is not recorded, so they count as
 * delivered for every task: a re-send is never written twice). The task's first written lines
 * store the union in version 2; version 1 is never written again and expires by its TTL.
 *
 * <p><b>Event time.</b> Each written line goes to the time bucket of its own event time, parsed
 * from the line as the batch's {@code ds.time} headers ask ({@link EventTimeParsers}); a line
 * without a parsable time goes to the bucket of the batch's read time (its first event time, set
 * by the agent) and is counted. So a batch can become several chunks ({@link BucketChunks}).
 * Only lines that are written are parsed: duplicates cost nothing.
 */
public final class LineDeduplicator extends KeyedProcessFunction<String, SourceBatch, OutputChunk>
        implements CheckpointedFunction, CheckpointListener {
    private static final long serialVersionUID = 1L;

    /** Name of the keyed state of version 1 (release 0.1, per file); part of the savepoint format, never rename. */
    public static final String STATE_NAME = "delivered-ranges";
    /** Name of the keyed state of version 2 (per file, then per task); part of the savepoint format, never rename. */
    public static final String STATE_NAME_V2 = "delivered-ranges-v2";

    private final DedupConfig config;
    private final LineFormat format;
    private final TimeBuckets buckets;

    private transient MapState<String, long[]> delivered;
    private transient ValueState<long[]> deliveredV1;
    private transient TaskMetrics<TaskCounters> taskMetrics;
    private transient CodecSet codecs;
    private transient BucketChunks chunks;
    private transient EventTimeParsers timeParsers;
    private transient RunList runs;
    private transient LineFilter filter;
    private transient Counter linesIn;
    private transient Counter linesDuplicate;
    private transient Counter linesOverlapping;
    private transient Counter linesWritten;
    private transient Counter bytesWritten;
    private transient Counter batchesDuplicate;
    private transient Counter corrupt;
    private transient Counter rangesEvicted;
    private transient Counter timeFallback;
    private transient CommittedCounts committed;
    private transient EventIdReader idReader;
    private transient ChunkBuilder single;
    private transient List<EventIdLine> idLines;
    private transient Counter eventIdLinesIn;
    private transient Counter eventIdUnreadable;

    /** With the default buckets ({@code output.bucketPattern}'s default, UTC). */
    public LineDeduplicator(DedupConfig config, LineFormat format) {
        this(config, format, new TimeBuckets(io.datastream.sink.config.OutputConfig.DEFAULT_BUCKET_PATTERN, ZoneOffset.UTC));
    }

    /** {@code buckets}: the time part of the output buckets, to cut batches by their lines' times. */
    public LineDeduplicator(DedupConfig config, LineFormat format, TimeBuckets buckets) {
        this.config = config;
        this.format = format;
        this.buckets = buckets;
    }

    /**
     * The state of version 2: task id -> delivered ranges of the key's file, each entry kept
     * {@code ttl} after its last read or write.
     */
    public static MapStateDescriptor<String, long[]> stateDescriptor(DedupConfig config) {
        MapStateDescriptor<String, long[]> d = new MapStateDescriptor<>(STATE_NAME_V2, Types.STRING,
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);
        d.enableTimeToLive(ttl(config));
        return d;
    }

    /**
     * The state of version 1, as release 0.1 declared it (same name, type and TTL, or a restore
     * from its savepoints fails): the delivered ranges of the key's file for whichever task came
     * first. Read-only since version 2.
     */
    public static ValueStateDescriptor<long[]> stateDescriptorV1(DedupConfig config) {
        ValueStateDescriptor<long[]> d = new ValueStateDescriptor<>(STATE_NAME, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);
        d.enableTimeToLive(ttl(config));
        return d;
    }

    private static StateTtlConfig ttl(DedupConfig config) {
        return StateTtlConfig.newBuilder(config.ttl())
                .updateTtlOnReadAndWrite()
                .neverReturnExpired()
                .build();
    }

    @Override
    public void open(OpenContext ctx) {
        delivered = getRuntimeContext().getMapState(stateDescriptor(config));
        deliveredV1 = getRuntimeContext().getState(stateDescriptorV1(config));
        codecs = new CodecSet();
        chunks = new BucketChunks(format, buckets);
        timeParsers = new EventTimeParsers();
        runs = new RunList();
        filter = new LineFilter();
        MetricGroup g = getRuntimeContext().getMetricGroup();
        linesIn = SinkMetric.LINES_IN.register(g);
        linesDuplicate = SinkMetric.LINES_DUPLICATE.register(g);
        linesOverlapping = SinkMetric.LINES_OVERLAPPING.register(g);
        linesWritten = SinkMetric.LINES_WRITTEN.register(g);
        bytesWritten = SinkMetric.BYTES_WRITTEN.register(g);
        batchesDuplicate = SinkMetric.BATCHES_DUPLICATE.register(g);
        corrupt = SinkMetric.ENVELOPES_CORRUPT.register(g);
        rangesEvicted = SinkMetric.RANGES_EVICTED.register(g);
        timeFallback = SinkMetric.LINES_TIME_FALLBACK.register(g);
        taskMetrics = TaskMetrics.lines(g);
        committed = new CommittedCounts();
        idReader = new EventIdReader();
        single = new ChunkBuilder(format);
        idLines = new ArrayList<>();
        eventIdLinesIn = SinkMetric.EVENT_ID_LINES_IN.register(g);
        eventIdUnreadable = SinkMetric.EVENT_ID_UNREADABLE.register(g);
    }

    @Override
    public void initializeState(FunctionInitializationContext ctx) {
        // no operator state: the minute counts of unfinished checkpoints are counted again after a restore
    }

    @Override
    public void snapshotState(FunctionSnapshotContext ctx) {
        committed.snapshot(ctx.getCheckpointId());
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        committed.complete(checkpointId);
    }

    @Override
    public void close() {
        if (codecs != null) {
            codecs.close();
        }
    }

    @Override
    public void processElement(SourceBatch in, Context ctx, Collector<OutputChunk> out) throws Exception {
        Envelope envelope = Envelope.parse(in.record().value());
        if (envelope.isCorrupt()) {
            deadLetter(in, ctx, envelope.error().getMessage());
            return;
        }
        Batch batch = envelope.batch();
        int count = batch.recordCount();
        linesIn.inc(count);
        if (count == 0) {
            return;
        }
        String task = batch.taskId();
        TaskCounters perTask = taskMetrics.of(task);
        long[] own = delivered.get(task);
        boolean byV1 = own == null;
        DeliveredRanges ranges = DeliveredRanges.of(byV1 ? deliveredV1.value() : own);
        long readMinute = MinuteLedger.minuteOf(batch.firstEventTime());
        if (ranges.covers(batch.startOffset(), batch.endOffset())) {
            committed.add(task, readMinute, ReportCount.DUPLICATES_DROPPED, count);
            batchesDuplicate.inc();
            linesDuplicate.inc(count);
            perTask.linesDuplicate.inc(count);
            if (byV1) {
                perTask.linesDuplicateByV1State.inc(count);
            }
            return;
        }
        chunks.begin(batch);
        runs.clear();
        idLines.clear();
        boolean eventIds = ReservedHeaders.EVENT_IDS_V1.equals(batch.headers().get(ReservedHeaders.EVENT_IDS));
        if (eventIds) {
            single.begin(batch);
        }
        filter.reset(ranges, !ranges.intersects(batch.startOffset(), batch.endOffset()),
                timeParsers.forHeaders(batch.headers()), batch.firstEventTime(), eventIds ? task : null);
        try {
            envelope.forEachLine(codecs, filter);
        } catch (CorruptBatchException | RuntimeException e) {
            // nothing of this batch is written nor recorded as delivered: a valid re-send will be
            perTask.deadLetters.inc();
            committed.add(task, readMinute, ReportCount.DEAD_LETTERS, 1);
            deadLetter(in, ctx, e.getMessage() == null ? e.toString() : e.getMessage());
            return;
        }
        linesDuplicate.inc(filter.duplicates);
        perTask.linesDuplicate.inc(filter.duplicates);
        committed.add(task, readMinute, ReportCount.DUPLICATES_DROPPED, filter.duplicates);
        if (byV1) {
            perTask.linesDuplicateByV1State.inc(filter.duplicates);
        }
        linesOverlapping.inc(filter.overlapping);
        perTask.linesOverlapping.inc(filter.overlapping);
        eventIdUnreadable.inc(filter.unreadableIds);
        if (chunks.lines() == 0 && idLines.isEmpty()) {
            return;
        }
        timeFallback.inc(filter.timeFallback);
        perTask.timeFallback.inc(filter.timeFallback);
        DeliveredRanges.Union u = ranges.union(runs, config.maxRangesPerFile());
        delivered.put(task, u.ranges().toArray());
        rangesEvicted.inc(u.evicted());
        // lines with a client event id: delivered by their range here, written (or dropped as a
        // client's re-send) by the event-id de-duplication, which counts them
        eventIdLinesIn.inc(idLines.size());
        for (EventIdLine l : idLines) {
            ctx.output(EventIdLine.TAG, l);
        }
        idLines.clear();
        if (chunks.lines() == 0) {
            committed.add(task, readMinute, ReportCount.TIME_FALLBACKS, filter.timeFallback);
            return;
        }
        linesWritten.inc(chunks.lines());
        perTask.linesWritten.inc(chunks.lines());
        committed.committed(task, batch.firstEventTime(), chunks.lines());
        committed.add(task, readMinute, ReportCount.TIME_FALLBACKS, filter.timeFallback);
        bytesWritten.inc(chunks.size());
        chunks.emit(task, out::collect);
    }

    private void deadLetter(SourceBatch in, Context ctx, String error) {
        corrupt.inc();
        ctx.output(DeadLetters.TAG, DeadLetter.of(in.record(), DeadLetter.STAGE_DECODE, error));
    }

    /** Keeps the lines the ranges do not cover, each with its event time; reused batch after batch. */
    private final class LineFilter implements Envelope.LineVisitor {
        private DeliveredRanges ranges;
        private boolean disjoint;
        private LineTimeParser parser;
        private long readTime;
        private String idTask;
        long duplicates;
        long overlapping;
        long timeFallback;
        long unreadableIds;

        /** {@code eventIdTask}: the batch's task when its lines may carry client event ids, else null. */
        void reset(DeliveredRanges r, boolean batchIsDisjoint, LineTimeParser timeParser, long batchReadTime, String eventIdTask) {
            this.ranges = r;
            this.disjoint = batchIsDisjoint;
            this.parser = timeParser;
            this.readTime = batchReadTime;
            this.idTask = eventIdTask;
            this.duplicates = 0;
            this.overlapping = 0;
            this.timeFallback = 0;
            this.unreadableIds = 0;
        }

        @Override
        public void line(long offset, long nextOffset, ByteBuf buffer, int index, int length) {
            if (!disjoint) {
                if (ranges.covers(offset, nextOffset)) {
                    duplicates++;
                    return;
                }
                if (ranges.intersects(offset, nextOffset)) {
                    overlapping++;
                }
            }
            long time = readTime;
            if (parser != null) {
                long parsed = parser.parse(buffer, index, length, readTime);
                if (parsed == LineTimeParser.NO_TIME) {
                    timeFallback++;
                } else {
                    time = parsed;
                }
            }
            runs.add(offset, nextOffset);
            if (idTask != null) {
                String key = idReader.read(idTask, buffer, index, length);
                if (key.equals(EventIdReader.UNREADABLE)) {
                    unreadableIds++;
                } else if (!key.isEmpty()) {
                    single.clear();
                    single.append(offset, buffer, index, length);
                    idLines.add(new EventIdLine(key, idTask, readTime, single.build(idTask, time > 0 ? time : 0)));
                    return;
                }
            }
            chunks.append(offset, buffer, index, length, time);
        }
    }
}
