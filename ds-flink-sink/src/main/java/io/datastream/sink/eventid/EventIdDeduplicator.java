package io.datastream.sink.eventid;

import io.datastream.protocol.report.ReportCount;
import io.datastream.sink.config.DedupConfig;
import io.datastream.sink.metrics.EventIdCounters;
import io.datastream.sink.metrics.SinkMetric;
import io.datastream.sink.metrics.TaskMetrics;
import io.datastream.sink.output.OutputChunk;
import io.datastream.sink.report.CommittedCounts;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Writes the first line of each client event id and drops the others: keyed by (task, client,
 * id) ({@link EventIdReader#key}), the state ({@value #STATE_NAME}) holds, per id, when its line
 * was written (processing time, epoch millis). An id is forgotten {@code dedup.eventIdTtl} after
 * that (Flink state TTL, set on create, not extended by the re-sends it drops), so the state holds
 * the ids written within the last TTL: its size is that many keys of at most about 600 bytes.
 * The state is part of every checkpoint with the Kafka offsets and the files, as the line
 * de-duplication's is, so the first copy is written exactly once across failures.
 */
public final class EventIdDeduplicator extends KeyedProcessFunction<String, EventIdLine, OutputChunk>
        implements CheckpointedFunction, CheckpointListener {
    private static final long serialVersionUID = 1L;

    /** Name of the keyed state (version 1); part of the savepoint format, never rename. */
    public static final String STATE_NAME = "event-ids";

    private final DedupConfig config;

    private transient ValueState<Long> written;
    private transient TaskMetrics<EventIdCounters> taskMetrics;
    private transient Counter linesWritten;
    private transient Counter bytesWritten;
    private transient Counter duplicates;
    private transient CommittedCounts committed;

    public EventIdDeduplicator(DedupConfig config) {
        this.config = config;
    }

    /** The keyed state: when the id's line was written, kept {@code dedup.eventIdTtl} from then. */
    public static ValueStateDescriptor<Long> stateDescriptor(DedupConfig config) {
        ValueStateDescriptor<Long> d = new ValueStateDescriptor<>(STATE_NAME, Types.LONG);
        d.enableTimeToLive(StateTtlConfig.newBuilder(config.eventIdTtl())
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .neverReturnExpired()
                .build());
        return d;
    }

    @Override
    public void open(OpenContext ctx) {
        written = getRuntimeContext().getState(stateDescriptor(config));
        MetricGroup g = getRuntimeContext().getMetricGroup();
        taskMetrics = TaskMetrics.eventIds(g);
        linesWritten = SinkMetric.LINES_WRITTEN.register(g);
        bytesWritten = SinkMetric.BYTES_WRITTEN.register(g);
        duplicates = SinkMetric.LINES_DUPLICATE_EVENT_ID.register(g);
        committed = new CommittedCounts();
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
    public void processElement(EventIdLine in, Context ctx, Collector<OutputChunk> out) throws Exception {
        EventIdCounters perTask = taskMetrics.of(in.task());
        if (written.value() != null) {
            duplicates.inc();
            perTask.linesDuplicate.inc();
            committed.add(in.task(), in.readMinute(), ReportCount.DUPLICATES_DROPPED, 1);
            return;
        }
        written.update(ctx.timerService().currentProcessingTime());
        linesWritten.inc();
        perTask.linesWritten.inc();
        bytesWritten.inc(in.chunk().data().length);
        committed.committed(in.task(), in.readTime(), 1);
        out.collect(in.chunk());
    }
}
