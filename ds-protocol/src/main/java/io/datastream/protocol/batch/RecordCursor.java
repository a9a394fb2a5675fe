package io.datastream.protocol.batch;

import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.codec.CodecType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;

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
 *
 * <p>For codec none the cursor reads the batch's own bytes (it retains them until it is closed)
 * instead of copying them into a buffer from the allocator.
 */
public final class RecordCursor implements AutoCloseable {
    /** The records; released on close. Its readable bytes are exactly the records. */
    private final ByteBuf payload;
    /** An NIO view of the records, index 0 = {@code payload}'s reader index: fast absolute reads. */
    private final ByteBuffer view;
    private final int base;
    private int pos;
    private long nextOffset;
    private long offset;
    private int contentIndex;
    private int length;
    private long gap;
    private int remaining;
    private boolean closed;

    private RecordCursor(ByteBuf payload, long startOffset, int count) {
        this.payload = payload;
        this.base = payload.readerIndex();
        this.view = payload.nioBuffer(base, payload.readableBytes());
        this.nextOffset = startOffset;
        this.remaining = count;
    }

    static RecordCursor open(Batch batch, CodecSet codecs, ByteBufAllocator allocator) throws CorruptBatchException {
        ByteBuf compressed = batch.payload();
        ByteBuf records;
        if (batch.codec() == CodecType.NONE && compressed.nioBufferCount() == 1) {
            // Batch.parse checked that the payload length equals the uncompressed length.
            records = compressed.retain();
        } else {
            int uncompressed = batch.uncompressedLength();
            records = allocator.buffer(uncompressed);
            try {
                codecs.get(batch.codec()).decompress(compressed, compressed.readerIndex(), compressed.readableBytes(),
                        records, uncompressed);
            } catch (CorruptBatchException | RuntimeException e) {
                records.release();
                throw e;
            }
        }
        try {
            RecordCursor c = new RecordCursor(records, batch.startOffset(), batch.recordCount());
            c.validate(batch.endOffset());
            return c;
        } catch (CorruptBatchException | RuntimeException e) {
            records.release();
            throw e;
        }
    }

    private static CorruptBatchException corrupt(String message) {
        return new CorruptBatchException(ErrorCode.CORRUPT_BATCH, message);
    }

    /** Checks the whole payload once, so that {@link #next()} can read without checks. */
    private void validate(long end) throws CorruptBatchException {
        ByteBuffer v = view;
        int limit = v.limit();
        int p = 0;
        long off = nextOffset;
        int n = 0;
        while (p < limit) {
            long len;
            int b = v.get(p);
            if (b >= 0) { // the usual one-byte varint, read inline
                len = b;
                p++;
            } else {
                len = readVarint(v, p, limit);
                p += Varint.size(len);
            }
            if (p >= limit) {
                throw corrupt("payload ends inside a record header");
            }
            long gap;
            b = v.get(p);
            if (b >= 0) {
                gap = b;
                p++;
            } else {
                gap = readVarint(v, p, limit);
                p += Varint.size(gap);
            }
            if (len > limit - p) {
                throw corrupt("record " + n + " of " + len + " bytes runs past the payload");
            }
            p += (int) len;
            // off >= 0, len < 2^31 and gap < 2^63: compare before adding so a sum that wraps
            // around past 2^64 back to a positive number cannot slip through.
            if (gap > Long.MAX_VALUE - off - len) {
                throw corrupt("record offsets overflow");
            }
            off += len + gap;
            n++;
        }
        if (n != remaining) {
            throw corrupt("payload holds " + n + " records, header says " + remaining);
        }
        if (off != end) {
            throw corrupt("records end at offset " + off + ", header says " + end);
        }
    }

    /** Reads a varint of at most 9 bytes (63 bits) that must end before {@code limit}. */
    private static long readVarint(ByteBuffer b, int pos, int limit) throws CorruptBatchException {
        long v = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            if (pos >= limit) {
                throw corrupt("payload ends inside a record header");
            }
            int x = b.get(pos++);
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                if (Varint.size(v) != (shift / 7) + 1) {
                    throw corrupt("non-minimal varint in a record header");
                }
                return v;
            }
        }
        throw corrupt("varint too long in a record header");
    }

    /** Moves to the next record; false after the last one. */
    public boolean next() {
        if (remaining == 0) {
            return false;
        }
        remaining--;
        ByteBuffer v = view;
        int p = pos;
        // validated: both varints are well-formed and the content is inside the payload
        long len = v.get(p++);
        if (len < 0) {
            len &= 0x7F;
            for (int shift = 7; ; shift += 7) {
                int x = v.get(p++);
                len |= (long) (x & 0x7F) << shift;
                if (x >= 0) {
                    break;
                }
            }
        }
        long g = v.get(p++);
        if (g < 0) {
            g &= 0x7F;
            for (int shift = 7; ; shift += 7) {
                int x = v.get(p++);
                g |= (long) (x & 0x7F) << shift;
                if (x >= 0) {
                    break;
                }
            }
        }
        gap = g;
        length = (int) len;
        contentIndex = base + p;
        pos = p + length;
        offset = nextOffset;
        nextOffset = offset + length + g;
        return true;
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

    /** Releases the payload; later calls do nothing. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            payload.release();
        }
    }
}
