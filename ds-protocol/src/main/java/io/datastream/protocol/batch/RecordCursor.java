package io.datastream.protocol.batch;

import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.codec.CodecSet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Walks the records of a batch in order, with each record's byte offset in the source file.
 * The decompressed payload is validated as a whole when the cursor opens (framing, count, and
 * that the offsets add up to the header's end offset), so {@link #next()} never fails.
 * Per record, nothing is allocated: {@link #buffer()}, {@link #contentIndex()} and
 * {@link #length()} locate the content. Close the cursor to release the payload buffer.
 *
 * <pre>
 * try (RecordCursor c = batch.openRecords(codecs, alloc)) {
 *     while (c.next()) {
 *         write(c.buffer(), c.contentIndex(), c.length(), c.offset());
 *     }
 * }
 * </pre>
 */
public final class RecordCursor implements AutoCloseable {
    private final ByteBuf payload;
    private long nextOffset;
    private long offset;
    private int contentIndex;
    private int length;
    private long gap;
    private int remaining;

    private RecordCursor(ByteBuf payload, long startOffset, int count) {
        this.payload = payload;
        this.nextOffset = startOffset;
        this.remaining = count;
    }

    static RecordCursor open(Batch batch, CodecSet codecs, ByteBufAllocator allocator) throws CorruptBatchException {
        int uncompressed = batch.uncompressedLength();
        ByteBuf out = allocator.buffer(uncompressed);
        try {
            ByteBuf payload = batch.payload();
            codecs.get(batch.codec()).decompress(payload, payload.readerIndex(), payload.readableBytes(), out, uncompressed);
            validate(out, batch.startOffset(), batch.endOffset(), batch.recordCount());
            return new RecordCursor(out, batch.startOffset(), batch.recordCount());
        } catch (CorruptBatchException | RuntimeException e) {
            out.release();
            throw e;
        }
    }

    private static void validate(ByteBuf records, long start, long end, int count) throws CorruptBatchException {
        int pos = records.readerIndex();
        int limit = records.writerIndex();
        long offset = start;
        int n = 0;
        while (pos < limit) {
            long len = readVarint(records, pos, limit);
            pos += Varint.size(len);
            long gap = readVarint(records, pos, limit);
            pos += Varint.size(gap);
            if (len > limit - pos) {
                throw new CorruptBatchException(ErrorCode.CORRUPT_BATCH, "record " + n + " of " + len + " bytes runs past the payload");
            }
            pos += (int) len;
            // offset >= 0, len < 2^31 and gap < 2^63: compare before adding so a sum that wraps
            // around past 2^64 back to a positive number cannot slip through.
            if (gap > Long.MAX_VALUE - offset - len) {
                throw new CorruptBatchException(ErrorCode.CORRUPT_BATCH, "record offsets overflow");
            }
            offset += len + gap;
            n++;
        }
        if (n != count) {
            throw new CorruptBatchException(ErrorCode.CORRUPT_BATCH, "payload holds " + n + " records, header says " + count);
        }
        if (offset != end) {
            throw new CorruptBatchException(ErrorCode.CORRUPT_BATCH, "records end at offset " + offset + ", header says " + end);
        }
    }

    /** Reads a varint of at most 9 bytes (63 bits) that must end before {@code limit}. */
    private static long readVarint(ByteBuf b, int pos, int limit) throws CorruptBatchException {
        long v = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            if (pos >= limit) {
                throw new CorruptBatchException(ErrorCode.CORRUPT_BATCH, "payload ends inside a record header");
            }
            int x = b.getByte(pos++);
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                if (Varint.size(v) != (shift / 7) + 1) {
                    throw new CorruptBatchException(ErrorCode.CORRUPT_BATCH, "non-minimal varint in a record header");
                }
                return v;
            }
        }
        throw new CorruptBatchException(ErrorCode.CORRUPT_BATCH, "varint too long in a record header");
    }

    /** Moves to the next record; false after the last one. */
    public boolean next() {
        if (remaining == 0) {
            return false;
        }
        remaining--;
        int pos = payload.readerIndex();
        long len = uncheckedVarint(pos);
        pos += Varint.size(len);
        gap = uncheckedVarint(pos);
        pos += Varint.size(gap);
        length = (int) len;
        contentIndex = pos;
        payload.readerIndex(pos + length);
        offset = nextOffset;
        nextOffset = offset + length + gap;
        return true;
    }

    private long uncheckedVarint(int pos) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int x = payload.getByte(pos++);
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
    }

    /** Byte offset of the current record's first byte in the source file: its identity. */
    public long offset() {
        return offset;
    }

    /** Byte offset in the source just after this record and its gap: where the next one starts. */
    public long nextOffset() {
        return nextOffset;
    }

    /** Content bytes of the current record. */
    public int length() {
        return length;
    }

    /** Source bytes after the content that are not in it (newline, or the cut-off rest of a line). */
    public long gap() {
        return gap;
    }

    /** The buffer holding the current record's content at {@link #contentIndex()}. */
    public ByteBuf buffer() {
        return payload;
    }

    public int contentIndex() {
        return contentIndex;
    }

    /** The current record's content as a slice (allocates a slice object; not retained). */
    public ByteBuf content() {
        return payload.slice(contentIndex, length);
    }

    /** The current record's content copied into a new array. */
    public byte[] contentBytes() {
        byte[] b = new byte[length];
        payload.getBytes(contentIndex, b);
        return b;
    }

    @Override
    public void close() {
        if (payload.refCnt() > 0) {
            payload.release();
        }
    }
}
