package io.datastream.protocol.batch;

import io.datastream.protocol.codec.Codec;
import io.datastream.protocol.codec.CodecType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Builds batches of one source's records into a reused array, then compresses them into a new
 * buffer with the v1 header. Single-threaded; the agent's tailer owns one.
 *
 * <pre>
 * builder.begin(source, startOffset);
 * while (builder.tryAppend(lineBuf, index, length, gap, nowMillis)) { ... }
 * ByteBuf batch = builder.finish(codec);   // the caller owns (and releases) the result
 * </pre>
 *
 * <p>Per record, the framing (two varints) and the content are written into the array with plain
 * stores and {@link System#arraycopy}; nothing is allocated. {@link #finish} allocates the one
 * buffer it returns, at its exact size: with codec none it is written straight into it; a
 * compressing codec writes into a reused scratch buffer first, which is then copied (the
 * compressed bytes, not the records) into the result, so that no buffer sized for the
 * uncompressed batch is held per batch in flight.
 */
public final class BatchBuilder implements AutoCloseable {
    /** Most bytes one record's framing (two varints) can take. */
    private static final int MAX_RECORD_OVERHEAD = 5 + 10;

    private final ByteBufAllocator allocator;
    private final int maxUncompressedBytes;
    private final int maxRecords;
    private final CRC32C crc = new CRC32C();
    /** The records with their framing, [0, size); grows up to maxUncompressedBytes + MAX_RECORD_OVERHEAD. */
    private byte[] records;
    private int size;
    /** {@link #records} as a buffer for the codecs; re-made when the array grows. */
    private ByteBuf recordsView;
    /** Where a compressing codec writes the header and payload before the exact-size copy; made on first use. */
    private ByteBuf scratch;

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
        this.records = new byte[Math.min(maxUncompressedBytes, 64 << 10)];
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
        this.size = 0;
    }

    /**
     * Appends a record: {@code length} content bytes of {@code src} at {@code index}, followed in
     * the source file by {@code gap} bytes that are not part of the content (the newline, or the
     * cut-off rest of a truncated line). Returns false, appending nothing, when the batch is not
     * empty and the record would not fit; an empty batch takes any record up to the maximum size.
     */
    public boolean tryAppend(ByteBuf src, int index, int length, long gap, long eventTimeMillis) {
        int at = prepare(length, gap);
        if (at < 0) {
            return false;
        }
        src.getBytes(index, records, at, length);
        added(at + length, length, gap, eventTimeMillis);
        return true;
    }

    /** Same as {@link #tryAppend(ByteBuf, int, int, long, long)} for an array. */
    public boolean tryAppend(byte[] src, int offset, int length, long gap, long eventTimeMillis) {
        int at = prepare(length, gap);
        if (at < 0) {
            return false;
        }
        System.arraycopy(src, offset, records, at, length);
        added(at + length, length, gap, eventTimeMillis);
        return true;
    }

    /**
     * Appends, in one loop, the whole lines of {@code src} from {@code from} as records with a gap
     * of 1 (the newline): the same records, byte for byte, as {@link #tryAppend} line by line for a
     * caller that, once the batch is not empty, refuses a line of {@code length} content bytes when
     * {@code uncompressedBytes() + length > maxContentBytes}, {@code recordCount() >= maxLines} or
     * {@code endOffset() + length + 1 > endLimit}. Stops before the first line that does not end in
     * '\n' before {@code to}, has more than {@code maxLength} content bytes (or more than a batch
     * holds, which {@link #tryAppend} rejects with an exception), or is refused.
     *
     * @return the index after the last line appended ({@code from} when none)
     */
    public int appendLines(byte[] src, int from, int to, int maxLength, int maxContentBytes, int maxLines, long endLimit,
                           long eventTimeMillis) {
        if (source == null) {
            throw new IllegalStateException("begin() was not called");
        }
        Objects.checkFromToIndex(from, to, src.length);
        int longest = Math.min(maxLength, maxUncompressedBytes - MAX_RECORD_OVERHEAD); // a longer one goes to tryAppend
        int mostRecords = Math.min(maxLines, maxRecords);
        byte[] out = records;
        int at = size;
        int count = recordCount;
        long end = endOffset;
        int p = from;
        while (true) {
            int nl = Lines.indexOfNewline(src, p, to);
            if (nl < 0) {
                break;
            }
            int length = nl - p;
            if (length > longest || end > Long.MAX_VALUE - 1 - length) {
                break;
            }
            int framed = Varint.size(length) + 1 + length;
            if (count != 0 && (count >= mostRecords || at + framed > maxUncompressedBytes || (long) at + length > maxContentBytes
                    || end + length + 1 > endLimit)) {
                break;
            }
            if (at + framed > out.length) {
                size = at;
                grow(at + framed);
                out = records;
            }
            at = Varint.put(out, at, length);
            out[at++] = 1; // the gap
            System.arraycopy(src, p, out, at, length);
            at += length;
            if (count == 0) {
                firstEventTime = eventTimeMillis;
            }
            count++;
            end += length + 1;
            p = nl + 1;
        }
        if (count != recordCount) {
            lastEventTime = eventTimeMillis;
        }
        size = at;
        recordCount = count;
        endOffset = end;
        return p;
    }

    /**
     * Checks a record and, when it fits, writes its framing (two varints) at the end of the
     * records and returns where its content goes; -1 when it does not fit.
     */
    private int prepare(int length, long gap) {
        checkRecord(length, gap);
        int framed = Varint.size(length) + Varint.size(gap) + length;
        if (recordCount != 0 && (recordCount >= maxRecords || size + framed > maxUncompressedBytes)) {
            return -1;
        }
        if (size + framed > records.length) {
            grow(size + framed);
        }
        return Varint.put(records, Varint.put(records, size, length), gap);
    }

    private void grow(int needed) {
        int capacity = (int) Math.min(Math.max(needed, 2L * records.length), (long) maxUncompressedBytes + MAX_RECORD_OVERHEAD);
        records = java.util.Arrays.copyOf(records, capacity);
        if (recordsView != null) {
            recordsView.release();
            recordsView = null;
        }
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
        return recordCount < maxRecords && size + framed <= maxUncompressedBytes;
    }

    private void added(int newSize, int length, long gap, long eventTimeMillis) {
        size = newSize;
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
        return size;
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
        int headerLength = BatchLayout.FIXED_HEADER_LENGTH + source.variableHeaderLength();
        if (codec.type() == CodecType.NONE) {
            ByteBuf out = allocator.directBuffer(headerLength + size, headerLength + size);
            try {
                writeHeader(out, codec, headerLength, size);
                out.writeBytes(records, 0, size);
                return sealed(out);
            } catch (RuntimeException e) {
                out.release();
                throw e;
            }
        }
        int max = headerLength + codec.maxCompressedLength(size);
        if (scratch == null || scratch.capacity() < max) {
            if (scratch != null) {
                scratch.release();
                scratch = null; // the allocation below may fail: never keep a released buffer
            }
            scratch = allocator.directBuffer(max, max);
        }
        scratch.clear();
        writeHeader(scratch, codec, headerLength, -1);
        if (recordsView == null) {
            recordsView = Unpooled.wrappedBuffer(records);
        }
        int payload = codec.compress(recordsView, 0, size, scratch);
        scratch.setInt(BatchLayout.PAYLOAD_LENGTH_OFFSET, payload);
        sealed(scratch);
        int length = scratch.writerIndex();
        ByteBuf out = allocator.directBuffer(length, length);
        out.writeBytes(scratch, 0, length);
        return out;
    }

    /** Writes the fixed and variable header; {@code payload} -1 leaves the payload length for later. */
    private void writeHeader(ByteBuf out, Codec codec, int headerLength, int payload) {
        out.writeInt(BatchLayout.MAGIC);
        out.writeByte(BatchLayout.VERSION_1);
        out.writeByte(codec.type().id());
        out.writeShort(0); // flags
        out.writeInt(0); // CRC, filled by sealed()
        out.writeShort(headerLength);
        out.writeShort(0); // reserved
        out.writeLong(source.fingerprint());
        out.writeLong(startOffset);
        out.writeLong(endOffset);
        out.writeLong(firstEventTime);
        out.writeLong(lastEventTime);
        out.writeInt(recordCount);
        out.writeInt(size);
        out.writeInt(Math.max(payload, 0));
        out.writeInt(0); // dictionary id
        source.writeVariableHeader(out);
    }

    /** Fills in the CRC32C of a complete batch in {@code out} (from index 0) and returns it. */
    private ByteBuf sealed(ByteBuf out) {
        out.setInt(BatchLayout.CRC_OFFSET, crc32c(crc, out, BatchLayout.CRC_START, out.writerIndex() - BatchLayout.CRC_START));
        return out;
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
        if (recordsView != null) {
            recordsView.release();
            recordsView = null;
        }
        if (scratch != null) {
            scratch.release();
            scratch = null;
        }
    }
}
