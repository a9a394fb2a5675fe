package io.datastream.router.channel.filequeue;

import static io.datastream.router.channel.filequeue.SegmentLayout.*;

import io.datastream.router.channel.Incarnation;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Reads a segment's header and checks its frames, one pass, never more: finds where the valid
 * frames end and whether anything else (a torn or corrupt tail) follows. Any bytes are read
 * safely: a bad header is a {@link CorruptSegmentException}, bad frames end the valid part, and
 * every step moves forward by at least one frame header, so a scan always ends.
 */
public final class SegmentScanner {
    private SegmentScanner() {
    }

    /** A segment header. */
    public record Header(long segmentId, long basePosition, Incarnation incarnation) {
    }

    /**
     * What a scan found.
     *
     * @param header       the header
     * @param validEnd     offset just after the last valid frame
     * @param events       valid frames
     * @param endPosition  channel position after the last valid frame
     * @param corruptBytes bytes after {@code validEnd} up to the last non-zero byte (0 = clean end)
     * @param problem      what ended the valid part when {@code corruptBytes > 0}, else null
     */
    public record Scan(Header header, int validEnd, long events, long endPosition, long corruptBytes, String problem) {
        public boolean clean() {
            return corruptBytes == 0;
        }
    }

    /** Reads a header from the first 64 bytes of {@code b} (absolute reads). */
    public static Header header(ByteBuffer b) throws CorruptSegmentException {
        if (b.limit() < HEADER_BYTES) {
            throw new CorruptSegmentException("shorter than a segment header (" + b.limit() + " bytes)");
        }
        int magic = b.getInt(MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new CorruptSegmentException(String.format("bad magic 0x%08x", magic));
        }
        short version = b.getShort(VERSION_OFFSET);
        if (version != VERSION) {
            throw new CorruptSegmentException("unknown segment version " + version);
        }
        CRC32C crc = new CRC32C();
        crc.update(b.duplicate().position(0).limit(HEADER_CRC_OFFSET));
        if ((int) crc.getValue() != b.getInt(HEADER_CRC_OFFSET)) {
            throw new CorruptSegmentException("header CRC mismatch");
        }
        long base = b.getLong(BASE_POSITION_OFFSET);
        if (base < 0 || base >= MAX_POSITION) {
            throw new CorruptSegmentException("base position out of range: " + base);
        }
        return new Header(b.getLong(SEGMENT_ID_OFFSET), base, new Incarnation(b.getLong(INCARNATION_RANDOM_OFFSET),
                b.getLong(INCARNATION_MILLIS_OFFSET)));
    }

    /** Scans a whole segment: {@code b} holds the file from offset 0 to its limit. */
    public static Scan scan(ByteBuffer b) throws CorruptSegmentException {
        Header h = header(b);
        int size = b.limit();
        int offset = HEADER_BYTES;
        long position = h.basePosition();
        long events = 0;
        String problem = null;
        CRC32C crc = new CRC32C();
        while (offset <= size - FRAME_HEADER_BYTES) {
            int length = b.getInt(offset);
            if (length == 0) {
                break;
            }
            if (length < PAYLOAD_META_BYTES || length > size - offset - FRAME_HEADER_BYTES) {
                problem = "frame length " + length + " out of range at offset " + offset;
                break;
            }
            crc.reset();
            crc.update(b.duplicate().position(offset + FRAME_HEADER_BYTES).limit(offset + FRAME_HEADER_BYTES + length));
            if ((int) crc.getValue() != b.getInt(offset + 4)) {
                problem = "frame CRC mismatch at offset " + offset;
                break;
            }
            int lineLength = b.getInt(offset + LINE_LENGTH_OFFSET);
            if (lineLength < 0 || lineLength > MAX_LINE_LENGTH || position + lineLength + 1 >= MAX_POSITION) {
                problem = "line length " + lineLength + " out of range at offset " + offset;
                break;
            }
            position += lineLength + 1L;
            events++;
            offset += FRAME_HEADER_BYTES + length;
        }
        int lastNonZero = lastNonZero(b, offset);
        long corrupt = lastNonZero < 0 ? 0 : lastNonZero + 1L - offset;
        if (corrupt > 0 && problem == null) {
            problem = "non-zero bytes after the last frame at offset " + offset;
        }
        return new Scan(h, offset, events, position, corrupt, corrupt > 0 ? problem : null);
    }

    /** Index of the last non-zero byte at or after {@code from}, or -1. */
    private static int lastNonZero(ByteBuffer b, int from) {
        int i = b.limit();
        while (i - 8 >= from) {
            if (b.getLong(i - 8) != 0) {
                break;
            }
            i -= 8;
        }
        while (i > from) {
            if (b.get(i - 1) != 0) {
                return i - 1;
            }
            i--;
        }
        return -1;
    }
}
