package io.datastream.protocol.batch;

import io.datastream.protocol.codec.Codec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Builds batches of one source's records into a reused direct buffer, then compresses them
 * into a new buffer with the v1 header. Single-threaded; the agent's shipper owns one.
 *
 * <pre>
 * builder.begin(source, startOffset);
 * while (builder.tryAppend(lineBuf, index, length, gap, nowMillis)) { ... }
 * ByteBuf batch = builder.finish(codec);   // the caller owns (and releases) the result
 * </pre>
 */
public final class BatchBuilder implements AutoCloseable {
    /** Most bytes one record's framing (two varints) can take. */
    private static final int MAX_RECORD_OVERHEAD = 5 + 10;

    private final ByteBufAllocator allocator;
    private final int maxUncompressedBytes;
    private final int maxRecords;
    private final ByteBuf records;
    private final CRC32C crc = new CRC32C();
    /** The framing of the record being appended. */
    private final byte[] recordHeader = new byte[MAX_RECORD_OVERHEAD];

    private BatchSource source;
    private long startOffset;
    private long endOffset;
    private long firstEventTime;
    private long lastEventTime;
    private int recordCount;

    /**
     * @param maxUncompressedBytes the most record bytes (with framing) one batch holds
     * @param maxRecords           the most records one batch holds
     */
    public BatchBuilder(ByteBufAllocator allocator, int maxUncompressedBytes, int maxRecords) {
        if (maxUncompressedBytes < 64) {
            throw new IllegalArgumentException("maxUncompressedBytes must be >= 64, was " + maxUncompressedBytes);
        }
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be >= 1, was " + maxRecords);
        }
        this.allocator = allocator;
        this.maxUncompressedBytes = maxUncompressedBytes;
        this.maxRecords = maxRecords;
        this.records = allocator.directBuffer(Math.min(maxUncompressedBytes, 64 << 10), maxUncompressedBytes + MAX_RECORD_OVERHEAD);
    }

    /** Starts a new, empty batch of {@code source} whose first record starts at {@code startOffset}. */
    public void begin(BatchSource source, long startOffset) {
        if (startOffset < 0) {
            throw new IllegalArgumentException("startOffset must be >= 0, was " + startOffset);
        }
        this.source = Objects.requireNonNull(source, "source");
        this.startOffset = startOffset;
        this.endOffset = startOffset;
        this.recordCount = 0;
        this.firstEventTime = 0;
        this.lastEventTime = 0;
        records.clear();
    }

    /**
     * Appends a record: {@code length} content bytes of {@code src} at {@code index}, followed in
     * the source file by {@code gap} bytes that are not part of the content (the newline, or the
     * cut-off rest of a truncated line). Returns false, appending nothing, when the batch is not
     * empty and the record would not fit; an empty batch takes any record up to the maximum size.
     */
    public boolean tryAppend(ByteBuf src, int index, int length, long gap, long eventTimeMillis) {
        int header = prepare(length, gap);
        if (header < 0) {
            return false;
        }
        records.writeBytes(recordHeader, 0, header);
        records.writeBytes(src, index, length);
        added(length, gap, eventTimeMillis);
        return true;
    }

    /** Same as {@link #tryAppend(ByteBuf, int, int, long, long)} for an array. */
    public boolean tryAppend(byte[] src, int offset, int length, long gap, long eventTimeMillis) {
        int header = prepare(length, gap);
        if (header < 0) {
            return false;
        }
        records.writeBytes(recordHeader, 0, header);
        records.writeBytes(src, offset, length);
        added(length, gap, eventTimeMillis);
        return true;
    }

    /**
     * Checks a record, encodes its framing (two varints) into {@link #recordHeader} and returns
     * the framing's size, or -1 when the record does not fit: one bulk write of the framing then
     * replaces a bounds-checked write per varint byte.
     */
    private int prepare(int length, long gap) {
        checkRecord(length, gap);
        int header = Varint.put(recordHeader, Varint.put(recordHeader, 0, length), gap);
        if (recordCount != 0 && (recordCount >= maxRecords || records.writerIndex() + header + length > maxUncompressedBytes)) {
            return -1;
        }
        return header;
    }

    private void checkRecord(int length, long gap) {
        if (source == null) {
            throw new IllegalStateException("begin() was not called");
        }
        if (length < 0 || gap < 0) {
            throw new IllegalArgumentException("length and gap must be >= 0: " + length + ", " + gap);
        }
        if (gap > Long.MAX_VALUE - endOffset - length) {
            throw new IllegalArgumentException("gap " + gap + " moves the end offset past 2^63 - 1");
        }
        if (length > maxUncompressedBytes - MAX_RECORD_OVERHEAD) {
            throw new IllegalArgumentException("record of " + length + " bytes is larger than a batch ("
                    + maxUncompressedBytes + " bytes); split or truncate it first");
        }
    }

    /** Whether a record of {@code length} content bytes would be accepted now. */
    public boolean fits(int length, long gap) {
        if (recordCount == 0) {
            return true;
        }
        int framed = Varint.size(length) + Varint.size(gap) + length;
        return recordCount < maxRecords && records.writerIndex() + framed <= maxUncompressedBytes;
    }

    private void added(int length, long gap, long eventTimeMillis) {
        if (recordCount == 0) {
            firstEventTime = eventTimeMillis;
        }
        lastEventTime = eventTimeMillis;
        recordCount++;
        endOffset += length + gap;
    }

    public int recordCount() {
        return recordCount;
    }

    public boolean isEmpty() {
        return recordCount == 0;
    }

    /** Uncompressed payload bytes so far (records with their framing). */
    public int uncompressedBytes() {
        return records.writerIndex();
    }

    public long startOffset() {
        return startOffset;
    }

    /** Source byte offset just after the last appended record. */
    public long endOffset() {
        return endOffset;
    }

    public BatchSource source() {
        return source;
    }

    /**
     * Compresses the records with {@code codec} into a new buffer holding the whole batch and
     * returns it; the caller owns it. The builder keeps its state until the next {@link #begin}.
     */
    public ByteBuf finish(Codec codec) {
        if (source == null) {
            throw new IllegalStateException("begin() was not called");
        }
        int uncompressed = records.writerIndex();
        int headerLength = BatchLayout.FIXED_HEADER_LENGTH + source.variableHeaderLength();
        ByteBuf out = allocator.directBuffer(headerLength + codec.maxCompressedLength(uncompressed));
        try {
            out.writeInt(BatchLayout.MAGIC);
            out.writeByte(BatchLayout.VERSION_1);
            out.writeByte(codec.type().id());
            out.writeShort(0); // flags
            out.writeInt(0); // CRC, filled below
            out.writeShort(headerLength);
            out.writeShort(0); // reserved
            out.writeLong(source.fingerprint());
            out.writeLong(startOffset);
            out.writeLong(endOffset);
            out.writeLong(firstEventTime);
            out.writeLong(lastEventTime);
            out.writeInt(recordCount);
            out.writeInt(uncompressed);
            out.writeInt(0); // payload length, filled below
            out.writeInt(0); // dictionary id
            source.writeVariableHeader(out);
            int payload = codec.compress(records, 0, uncompressed, out);
            out.setInt(BatchLayout.PAYLOAD_LENGTH_OFFSET, payload);
            out.setInt(BatchLayout.CRC_OFFSET, crc32c(crc, out, BatchLayout.CRC_START, out.writerIndex() - BatchLayout.CRC_START));
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    static int crc32c(CRC32C crc, ByteBuf buf, int index, int length) {
        crc.reset();
        if (buf.nioBufferCount() == 1) {
            crc.update(buf.nioBuffer(index, length));
        } else {
            for (java.nio.ByteBuffer b : buf.nioBuffers(index, length)) {
                crc.update(b);
            }
        }
        return (int) crc.getValue();
    }

    @Override
    public void close() {
        records.release();
    }
}
