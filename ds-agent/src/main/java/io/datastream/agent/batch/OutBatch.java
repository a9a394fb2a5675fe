package io.datastream.agent.batch;

import io.netty.buffer.ByteBuf;

/**
 * A built, compressed batch of one file's records on its way to a router. The tailer builds it
 * and hands it over; from then on the shipper owns it (and its buffer) until it is acknowledged,
 * re-sent or dropped. The bytes never change: a re-send sends the same bytes.
 */
public final class OutBatch {
    private final String taskId;
    private final long taskEpoch;
    private final long streamId;
    private final long fingerprint;
    private final int fingerprintLength;
    private final long startOffset;
    private final long endOffset;
    private final int records;
    private final long createdMillis;
    private final boolean reread;
    private final ByteBuf bytes;
    private final int size;
    /** Order of submission, assigned by the shipper. */
    long seq;

    public OutBatch(String taskId, long taskEpoch, long streamId, long fingerprint, int fingerprintLength, long startOffset,
                    long endOffset, int records, long createdMillis, ByteBuf bytes) {
        this(taskId, taskEpoch, streamId, fingerprint, fingerprintLength, startOffset, endOffset, records, createdMillis, bytes, false);
    }

    /**
     * @param reread its lines were counted as read before (the batch re-reads them after a rewind or a
     *               restart, below the stream's counted offset)
     */
    public OutBatch(String taskId, long taskEpoch, long streamId, long fingerprint, int fingerprintLength, long startOffset,
                    long endOffset, int records, long createdMillis, ByteBuf bytes, boolean reread) {
        this.reread = reread;
        this.taskId = taskId;
        this.taskEpoch = taskEpoch;
        this.streamId = streamId;
        this.fingerprint = fingerprint;
        this.fingerprintLength = fingerprintLength;
        this.startOffset = startOffset;
        this.endOffset = endOffset;
        this.records = records;
        this.createdMillis = createdMillis;
        this.bytes = bytes;
        this.size = bytes.readableBytes();
    }

    public String taskId() {
        return taskId;
    }

    /** The task's epoch when it was built; batches of an older epoch than a park are dropped. */
    public long taskEpoch() {
        return taskEpoch;
    }

    public long streamId() {
        return streamId;
    }

    public long fingerprint() {
        return fingerprint;
    }

    public int fingerprintLength() {
        return fingerprintLength;
    }

    public long startOffset() {
        return startOffset;
    }

    public long endOffset() {
        return endOffset;
    }

    public int records() {
        return records;
    }

    public long createdMillis() {
        return createdMillis;
    }

    /** Whether its lines were counted as read before (a re-read after a rewind or a restart). */
    public boolean reread() {
        return reread;
    }

    /** The batch bytes (owned by whoever holds the batch). */
    public ByteBuf bytes() {
        return bytes;
    }

    /** Size of the batch bytes (stable, also after release). */
    public int size() {
        return size;
    }

    public long seq() {
        return seq;
    }

    public void seq(long s) {
        this.seq = s;
    }

    /** Frees the bytes (after an OK ack, or when the batch is dropped). */
    public void release() {
        if (bytes.refCnt() > 0) {
            bytes.release();
        }
    }

    @Override
    public String toString() {
        return "OutBatch[task=" + taskId + ", stream=" + Long.toHexString(streamId) + ", [" + startOffset + ", " + endOffset
                + "), records=" + records + ", bytes=" + size + "]";
    }
}
