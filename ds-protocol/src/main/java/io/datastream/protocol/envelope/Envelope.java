package io.datastream.protocol.envelope;

import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.ProtocolLimits;
import io.datastream.protocol.batch.Batch;
import io.datastream.protocol.batch.RecordCursor;
import io.datastream.protocol.codec.CodecSet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * A Kafka record value read as a batch. Either valid ({@link #batch()} and the line methods
 * work) or corrupt ({@link #error()} says why and {@link #raw()} keeps the bytes).
 *
 * <pre>
 * Envelope e = Envelope.parse(record.value());
 * if (e.isCorrupt()) { deadLetter(e.raw(), e.error()); return; }
 * e.forEachLine(codecs, (offset, bytes) -> ...);
 * </pre>
 */
public final class Envelope {
    private static final UnpooledByteBufAllocator HEAP = new UnpooledByteBufAllocator(false);

    private final byte[] raw;
    private final Batch batch;
    private final CorruptBatchException error;

    private Envelope(byte[] raw, Batch batch, CorruptBatchException error) {
        this.raw = raw;
        this.batch = batch;
        this.error = error;
    }

    /** Parses with the default limits. Never throws for bad bytes: check {@link #isCorrupt()}. */
    public static Envelope parse(byte[] value) {
        return parse(value, ProtocolLimits.DEFAULT);
    }

    public static Envelope parse(byte[] value, ProtocolLimits limits) {
        if (value == null) {
            return new Envelope(new byte[0], null,
                    new CorruptBatchException(io.datastream.protocol.ErrorCode.CORRUPT_BATCH, "record has no value"));
        }
        try {
            return new Envelope(value, Batch.parse(Unpooled.wrappedBuffer(value), limits), null);
        } catch (CorruptBatchException e) {
            return new Envelope(value, null, e);
        }
    }

    public boolean isCorrupt() {
        return error != null;
    }

    /** Why the record is corrupt, or null. */
    public CorruptBatchException error() {
        return error;
    }

    /** The record value as received. */
    public byte[] raw() {
        return raw;
    }

    /** The parsed batch header; throws {@link IllegalStateException} for a corrupt envelope. */
    public Batch batch() {
        if (batch == null) {
            throw new IllegalStateException("corrupt envelope: " + error.getMessage());
        }
        return batch;
    }

    /** Receives lines without copying: the content is valid only during the call. */
    @FunctionalInterface
    public interface LineVisitor {
        void line(long offset, long nextOffset, ByteBuf buffer, int index, int length);
    }

    /**
     * Decompresses the payload and visits every line in order.
     *
     * @throws CorruptBatchException when the payload does not decompress or its records do not add up
     */
    public void forEachLine(CodecSet codecs, LineVisitor visitor) throws CorruptBatchException {
        try (RecordCursor c = batch().openRecords(codecs, HEAP)) {
            while (c.next()) {
                visitor.line(c.offset(), c.nextOffset(), c.buffer(), c.contentIndex(), c.length());
            }
        }
    }

    /** Every line, copied out with its identity. */
    public List<Line> lines(CodecSet codecs) throws CorruptBatchException {
        Batch b = batch();
        String agent = b.agentId();
        long fp = b.fingerprint();
        // The cursor validates the payload first, so the list is sized by records that really
        // exist, never by the count a (possibly hostile) header declares.
        try (RecordCursor c = b.openRecords(codecs, HEAP)) {
            List<Line> out = new ArrayList<>(b.recordCount());
            while (c.next()) {
                out.add(new Line(b.taskId(), agent, fp, c.offset(), c.nextOffset(), c.contentBytes()));
            }
            return out;
        }
    }
}
