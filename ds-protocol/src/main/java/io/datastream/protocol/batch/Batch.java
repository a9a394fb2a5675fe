package io.datastream.protocol.batch;

import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.ProtocolLimits;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.codec.CodecType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A parsed, validated batch: the header fields, and the payload still compressed. Parsing checks
 * the magic, version, lengths, limits and CRC32C, so a {@code Batch} is never built from bytes
 * that were changed on the way. It does not own the buffer it was parsed from: the payload is a
 * slice of it, valid as long as the buffer is.
 */
public final class Batch {
    private final ByteBuf buffer;
    private final int base;
    private final int length;
    private final CodecType codec;
    private final int headerLength;
    private final String taskId;
    private final String agentId;
    private final String host;
    private final String path;
    private final Map<String, String> headers;

    private Batch(ByteBuf buffer, int base, int length, CodecType codec, int headerLength, String taskId,
                  String agentId, String host, String path, Map<String, String> headers) {
        this.buffer = buffer;
        this.base = base;
        this.length = length;
        this.codec = codec;
        this.headerLength = headerLength;
        this.taskId = taskId;
        this.agentId = agentId;
        this.host = host;
        this.path = path;
        this.headers = headers;
    }

    /**
     * Parses the readable bytes of {@code buf} as one batch. Nothing is allocated from sizes the
     * bytes declare; the reader index is not moved. The CRC is checked right after the magic and
     * the version, before any field it covers is interpreted, so bytes damaged on the way are
     * always {@link ErrorCode#CRC_MISMATCH} (docs/protocol.md, section 5).
     *
     * @throws CorruptBatchException with {@link ErrorCode#CRC_MISMATCH} when the CRC does not match,
     *         {@link ErrorCode#BATCH_TOO_LARGE} when the declared sizes are over {@code limits},
     *         {@link ErrorCode#UNSUPPORTED_CODEC} or {@link ErrorCode#UNSUPPORTED_VERSION} for what this
     *         build cannot read, and {@link ErrorCode#CORRUPT_BATCH} for anything else
     */
    public static Batch parse(ByteBuf buf, ProtocolLimits limits) throws CorruptBatchException {
        int base = buf.readerIndex();
        int length = buf.readableBytes();
        if (length < BatchLayout.FIXED_HEADER_LENGTH) {
            throw corrupt("batch is " + length + " bytes, shorter than the " + BatchLayout.FIXED_HEADER_LENGTH + "-byte header");
        }
        int magic = buf.getInt(base + BatchLayout.MAGIC_OFFSET);
        if (magic != BatchLayout.MAGIC) {
            throw corrupt("bad batch magic 0x" + Integer.toHexString(magic));
        }
        int version = buf.getUnsignedByte(base + BatchLayout.VERSION_OFFSET);
        if (version != BatchLayout.VERSION_1) {
            throw new CorruptBatchException(ErrorCode.UNSUPPORTED_VERSION, "batch format version " + version + " is not supported (this build reads 1)");
        }
        // The CRC is checked before any field it covers is interpreted: bytes damaged on the way
        // must be reported as CRC_MISMATCH (retriable), not as a bad length, limit or dictionary.
        int stored = buf.getInt(base + BatchLayout.CRC_OFFSET);
        int actual = BatchBuilder.crc32c(new CRC32C(), buf, base + BatchLayout.CRC_START, length - BatchLayout.CRC_START);
        if (stored != actual) {
            throw new CorruptBatchException(ErrorCode.CRC_MISMATCH, "CRC32C mismatch: stored 0x" + Integer.toHexString(stored)
                    + ", computed 0x" + Integer.toHexString(actual));
        }
        int codecId = buf.getUnsignedByte(base + BatchLayout.CODEC_OFFSET);
        CodecType codec = CodecType.fromId(codecId);
        if (codec == null) {
            throw new CorruptBatchException(ErrorCode.UNSUPPORTED_CODEC, "unknown codec id " + codecId);
        }
        int headerLength = buf.getUnsignedShort(base + BatchLayout.HEADER_LENGTH_OFFSET);
        if (headerLength < BatchLayout.FIXED_HEADER_LENGTH + 10 || headerLength > length) {
            throw corrupt("header length " + headerLength + " is outside [" + (BatchLayout.FIXED_HEADER_LENGTH + 10) + ", " + length + "]");
        }
        long start = buf.getLong(base + BatchLayout.START_OFFSET_OFFSET);
        long end = buf.getLong(base + BatchLayout.END_OFFSET_OFFSET);
        if (start < 0 || end < start) {
            throw corrupt("offsets [" + start + ", " + end + ") are invalid");
        }
        int count = buf.getInt(base + BatchLayout.RECORD_COUNT_OFFSET);
        int uncompressed = buf.getInt(base + BatchLayout.UNCOMPRESSED_LENGTH_OFFSET);
        int payload = buf.getInt(base + BatchLayout.PAYLOAD_LENGTH_OFFSET);
        if (uncompressed < 0 || uncompressed > limits.maxUncompressedSize()) {
            throw new CorruptBatchException(ErrorCode.BATCH_TOO_LARGE, "declared uncompressed length " + (uncompressed & 0xFFFFFFFFL)
                    + " is over the limit of " + limits.maxUncompressedSize());
        }
        if (count < 0 || count > limits.maxRecordCount() || (long) count * 2 > uncompressed) {
            throw corrupt("record count " + (count & 0xFFFFFFFFL) + " is impossible for " + uncompressed + " payload bytes");
        }
        if (payload != length - headerLength) {
            throw corrupt("payload length " + (payload & 0xFFFFFFFFL) + " does not match the " + (length - headerLength) + " bytes after the header");
        }
        if (codec == CodecType.NONE && payload != uncompressed) {
            throw corrupt("codec none but payload length " + payload + " != uncompressed length " + uncompressed);
        }
        if (uncompressed > codec.maxUncompressedLength(payload)) {
            // so a few hostile bytes cannot make a reader allocate up to the limit
            throw corrupt(payload + " bytes of " + codec + " cannot decompress to the declared " + uncompressed);
        }
        int dictionary = buf.getInt(base + BatchLayout.DICTIONARY_ID_OFFSET);
        if (dictionary != 0) {
            throw new CorruptBatchException(ErrorCode.UNSUPPORTED_CODEC, "zstd dictionary " + (dictionary & 0xFFFFFFFFL) + " is not known here");
        }
        StringReader r = new StringReader(buf, base + BatchLayout.FIXED_HEADER_LENGTH, base + headerLength);
        String taskId = r.next("task id", BatchLayout.MAX_ID_BYTES);
        String agentId = r.next("agent id", BatchLayout.MAX_ID_BYTES);
        String host = r.next("host", BatchLayout.MAX_ID_BYTES);
        String path = r.next("path", BatchLayout.MAX_PATH_BYTES);
        int headerCount = r.u16("header count");
        if (headerCount > BatchLayout.MAX_HEADERS) {
            throw corrupt("header count " + headerCount + " is over " + BatchLayout.MAX_HEADERS);
        }
        Map<String, String> headers;
        if (headerCount == 0) {
            headers = Collections.emptyMap();
        } else {
            headers = new LinkedHashMap<>();
            for (int i = 0; i < headerCount; i++) {
                String k = r.next("header key", BatchLayout.MAX_HEADER_KEY_BYTES);
                headers.put(k, r.next("header value", BatchLayout.MAX_HEADER_VALUE_BYTES));
            }
            headers = Collections.unmodifiableMap(headers);
        }
        // Bytes between the known header fields and H are left for later header versions.
        return new Batch(buf, base, length, codec, headerLength, taskId, agentId, host, path, headers);
    }

    private static CorruptBatchException corrupt(String message) {
        return new CorruptBatchException(ErrorCode.CORRUPT_BATCH, message);
    }

    /** Reads the u16-length-prefixed strings of the variable header, within its bounds. */
    private static final class StringReader {
        private final ByteBuf buf;
        private final int limit;
        private int pos;

        StringReader(ByteBuf buf, int pos, int limit) {
            this.buf = buf;
            this.pos = pos;
            this.limit = limit;
        }

        int u16(String what) throws CorruptBatchException {
            if (pos + 2 > limit) {
                throw corrupt("header ends inside the " + what);
            }
            int v = buf.getUnsignedShort(pos);
            pos += 2;
            return v;
        }

        String next(String what, int max) throws CorruptBatchException {
            int len = u16(what);
            if (len > max) {
                throw corrupt(what + " is " + len + " bytes, at most " + max + " allowed");
            }
            if (pos + len > limit) {
                throw corrupt("header ends inside the " + what);
            }
            String s = buf.toString(pos, len, StandardCharsets.UTF_8);
            pos += len;
            return s;
        }
    }

    /** Opens the records for reading: decompresses the payload into a new buffer from {@code allocator}. */
    public RecordCursor openRecords(CodecSet codecs, ByteBufAllocator allocator) throws CorruptBatchException {
        return RecordCursor.open(this, codecs, allocator);
    }

    /** The whole batch, as parsed (a slice of the buffer, not retained). */
    public ByteBuf bytes() {
        return buffer.slice(base, length);
    }

    /** The compressed payload (a slice, not retained). */
    public ByteBuf payload() {
        return buffer.slice(base + headerLength, length - headerLength);
    }

    public int sizeInBytes() {
        return length;
    }

    public CodecType codec() {
        return codec;
    }

    public String taskId() {
        return taskId;
    }

    public String agentId() {
        return agentId;
    }

    public String host() {
        return host;
    }

    public String path() {
        return path;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public long fingerprint() {
        return buffer.getLong(base + BatchLayout.FINGERPRINT_OFFSET);
    }

    public long startOffset() {
        return buffer.getLong(base + BatchLayout.START_OFFSET_OFFSET);
    }

    public long endOffset() {
        return buffer.getLong(base + BatchLayout.END_OFFSET_OFFSET);
    }

    public long firstEventTime() {
        return buffer.getLong(base + BatchLayout.FIRST_EVENT_TIME_OFFSET);
    }

    public long lastEventTime() {
        return buffer.getLong(base + BatchLayout.LAST_EVENT_TIME_OFFSET);
    }

    public int recordCount() {
        return buffer.getInt(base + BatchLayout.RECORD_COUNT_OFFSET);
    }

    public int uncompressedLength() {
        return buffer.getInt(base + BatchLayout.UNCOMPRESSED_LENGTH_OFFSET);
    }

    public int payloadLength() {
        return length - headerLength;
    }

    public int crc() {
        return buffer.getInt(base + BatchLayout.CRC_OFFSET);
    }

    @Override
    public String toString() {
        return "Batch[task=" + taskId + ", agent=" + agentId + ", host=" + host + ", path=" + path
                + ", fingerprint=" + Long.toHexString(fingerprint()) + ", offsets=[" + startOffset() + ", " + endOffset()
                + "), records=" + recordCount() + ", codec=" + codec + ", bytes=" + length + "]";
    }
}
