package io.datastream.router.kafka;

import io.datastream.protocol.report.MinuteLedger;
import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.batch.Batch;
import io.datastream.protocol.frame.AckStatus;
import io.datastream.protocol.frame.BatchFrame;
import io.datastream.router.config.RouteMode;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One accepted batch on its way to Kafka. It owns the frame's buffer (released exactly once, as
 * soon as the producer has copied the bytes) and ends exactly once through its listener, which
 * then returns the pool reservation and writes the ACK.
 */
public final class Delivery {
    private final BatchFrame frame;
    private final Batch batch;
    private final String topic;
    private final RouteMode mode;
    private final PartitionStrategy strategy;
    private final int cost;
    private final long reservation;
    private final long acceptedNanos;
    private final DeliveryListener listener;
    private final String taskId;
    private final long readMinute;
    private final int records;
    private final long sourceBytes;
    private final AtomicBoolean bytesReleased = new AtomicBoolean();
    private final AtomicBoolean completed = new AtomicBoolean();

    /**
     * @param frame       the BATCH frame; ownership passes to this delivery
     * @param batch       the frame's parsed batch (a view of the frame's buffer)
     * @param reservation pool bytes held until the end
     */
    public Delivery(BatchFrame frame, Batch batch, String topic, RouteMode mode, PartitionStrategy strategy, long reservation,
                    long acceptedNanos, DeliveryListener listener) {
        this.frame = frame;
        this.batch = batch;
        this.topic = topic;
        this.mode = mode;
        this.strategy = strategy;
        this.cost = frame.creditCost();
        this.reservation = reservation;
        this.acceptedNanos = acceptedNanos;
        this.listener = listener;
        this.taskId = batch.taskId();
        this.readMinute = MinuteLedger.minuteOf(batch.firstEventTime());
        this.records = batch.recordCount();
        this.sourceBytes = batch.endOffset() - batch.startOffset();
    }

    /** The batch's task id (valid after the bytes are released too, like the three below). */
    public String taskId() {
        return taskId;
    }

    /** The minute the agent read the batch's lines (of its first event time). */
    public long readMinute() {
        return readMinute;
    }

    /** The batch's record count. */
    public int records() {
        return records;
    }

    /** The source bytes the batch covers (end offset minus start offset). */
    public long sourceBytes() {
        return sourceBytes;
    }

    /** Releases the frame's buffer if not yet done; the batch view is invalid afterwards. */
    public void releaseBytes() {
        if (bytesReleased.compareAndSet(false, true)) {
            frame.release();
        }
    }

    /** Ends the delivery; later calls are ignored. Returns whether this call ended it. */
    public boolean complete(AckStatus status, ErrorCode code, String message, int records) {
        if (!completed.compareAndSet(false, true)) {
            return false;
        }
        releaseBytes();
        listener.delivered(this, status, code, message, records);
        return true;
    }

    public boolean isCompleted() {
        return completed.get();
    }

    public long batchId() {
        return frame.batchId();
    }

    /** Credit cost of the frame (its body length). Valid after the bytes are released too. */
    public int cost() {
        return cost;
    }

    BatchFrame frame() {
        return frame;
    }

    Batch batch() {
        return batch;
    }

    public String topic() {
        return topic;
    }

    public RouteMode mode() {
        return mode;
    }

    PartitionStrategy strategy() {
        return strategy;
    }

    public long reservation() {
        return reservation;
    }

    public long acceptedNanos() {
        return acceptedNanos;
    }
}
