package io.datastream.sink.dedup;

import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.batch.Batch;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.envelope.Envelope;
import io.datastream.sink.config.DedupConfig;
import io.datastream.sink.config.LineFormat;
import io.datastream.sink.deadletter.DeadLetter;
import io.datastream.sink.deadletter.DeadLetters;
import io.datastream.sink.decode.SourceBatch;
import io.datastream.sink.metrics.SinkMetric;
import io.datastream.sink.output.ChunkBuilder;
import io.datastream.sink.output.OutputChunk;
import io.netty.buffer.ByteBuf;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops every line that was already delivered, keyed by source file (agent, fingerprint).
 *
 * <p>State per file: the {@link DeliveredRanges} of byte offsets already written. A line
 * {@code [offset, nextOffset)} is dropped iff the ranges cover it; otherwise it is written and
 * its range is added. So a re-sent batch, a batch that partly overlaps earlier ones and batches
 * arriving out of order are all handled line by line. A batch that is wholly covered is dropped
 * without decompressing it. The state is part of every checkpoint, together with the Kafka
 * offsets and the file sink's pending files, and expires {@code dedup.ttl} after the file's
 * last batch.
 */
public final class LineDeduplicator extends KeyedProcessFunction<String, SourceBatch, OutputChunk> {
    private static final long serialVersionUID = 1L;

    /** Name of the keyed state; part of the savepoint format, never rename. */
    public static final String STATE_NAME = "delivered-ranges";

    private final DedupConfig config;
    private final LineFormat format;

    private transient ValueState<long[]> delivered;
    private transient CodecSet codecs;
    private transient ChunkBuilder chunk;
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

    public LineDeduplicator(DedupConfig config, LineFormat format) {
        this.config = config;
        this.format = format;
    }

    /** The state descriptor, with its TTL: kept {@code ttl} after the last read or write of the file's ranges. */
    public static ValueStateDescriptor<long[]> stateDescriptor(DedupConfig config) {
        ValueStateDescriptor<long[]> d = new ValueStateDescriptor<>(STATE_NAME, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);
        d.enableTimeToLive(StateTtlConfig.newBuilder(config.ttl())
                .updateTtlOnReadAndWrite()
                .neverReturnExpired()
                .build());
        return d;
    }

    @Override
    public void open(OpenContext ctx) {
        delivered = getRuntimeContext().getState(stateDescriptor(config));
        codecs = new CodecSet();
        chunk = new ChunkBuilder(format);
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
        DeliveredRanges ranges = DeliveredRanges.of(delivered.value());
        if (ranges.covers(batch.startOffset(), batch.endOffset())) {
            batchesDuplicate.inc();
            linesDuplicate.inc(count);
            return;
        }
        chunk.begin(batch);
        runs.clear();
        filter.reset(ranges, !ranges.intersects(batch.startOffset(), batch.endOffset()));
        try {
            envelope.forEachLine(codecs, filter);
        } catch (CorruptBatchException | RuntimeException e) {
            // nothing of this batch is written nor recorded as delivered: a valid re-send will be
            deadLetter(in, ctx, e.getMessage() == null ? e.toString() : e.getMessage());
            return;
        }
        linesDuplicate.inc(filter.duplicates);
        linesOverlapping.inc(filter.overlapping);
        if (chunk.lines() == 0) {
            return;
        }
        DeliveredRanges.Union u = ranges.union(runs, config.maxRangesPerFile());
        delivered.update(u.ranges().toArray());
        rangesEvicted.inc(u.evicted());
        linesWritten.inc(chunk.lines());
        bytesWritten.inc(chunk.size());
        out.collect(chunk.build(batch.taskId(), batch.firstEventTime()));
    }

    private void deadLetter(SourceBatch in, Context ctx, String error) {
        corrupt.inc();
        ctx.output(DeadLetters.TAG, DeadLetter.of(in.record(), DeadLetter.STAGE_DECODE, error));
    }

    /** Keeps the lines the ranges do not cover; reused batch after batch. */
    private final class LineFilter implements Envelope.LineVisitor {
        private DeliveredRanges ranges;
        private boolean disjoint;
        long duplicates;
        long overlapping;

        void reset(DeliveredRanges r, boolean batchIsDisjoint) {
            this.ranges = r;
            this.disjoint = batchIsDisjoint;
            this.duplicates = 0;
            this.overlapping = 0;
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
            chunk.append(offset, buffer, index, length);
            runs.add(offset, nextOffset);
        }
    }
}
