package io.datastream.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * Data, agent to router: a batch (see {@link io.datastream.protocol.batch.Batch}) with the
 * agent's id for it on this connection. Reference counted: whoever receives it releases it.
 */
public final class BatchFrame extends DefaultByteBufHolder implements Frame {
    /** Bytes of the body before the batch: the batch id. */
    public static final int BODY_OVERHEAD = 8;

    private final long batchId;

    public BatchFrame(long batchId, ByteBuf batch) {
        super(batch);
        this.batchId = batchId;
    }

    public long batchId() {
        return batchId;
    }

    /** The batch bytes. */
    public ByteBuf batch() {
        return content();
    }

    /** What this frame costs in credit: its body length. */
    public int creditCost() {
        return BODY_OVERHEAD + content().readableBytes();
    }

    @Override
    public FrameType type() {
        return FrameType.BATCH;
    }

    @Override
    public BatchFrame replace(ByteBuf content) {
        return new BatchFrame(batchId, content);
    }

    @Override
    public BatchFrame retain() {
        super.retain();
        return this;
    }

    @Override
    public BatchFrame retainedDuplicate() {
        return replace(content().retainedDuplicate());
    }

    @Override
    public String toString() {
        return "BatchFrame[id=" + batchId + ", bytes=" + (refCnt() > 0 ? content().readableBytes() : -1) + "]";
    }
}
