package io.datastream.router.channel.filequeue;

/**
 * The on-disk layout of a file-queue segment, version 1 (all integers big-endian). A segment
 * file {@code <id as 16 hex digits>.seg} is a 64-byte header followed by record frames; the
 * bytes after the last frame are zero (a segment is created at its full size with its blocks
 * allocated, by posix_fallocate or by writing zeros, as {@code <name>.alloc}, renamed once its
 * header is written, and written through a memory mapping).
 *
 * <pre>
 * header
 *  0      4   magic 0x44535153 ("DSQS")
 *  4      2   version (1)
 *  6      2   flags (0)
 *  8      8   segment id (increases by one per segment)
 * 16      8   base position: channel position of the first record
 * 24      8   incarnation random bits of the router start that wrote the segment
 * 32      8   incarnation start time (epoch ms)
 * 40      4   CRC32C of bytes 0..40
 * 44     20   reserved (0)
 * frame (at 64, then one after the other)
 *  0      4   length L of the payload (&gt; 0); 0 = no more frames
 *  4      4   CRC32C of the payload
 *  8      4   payload: line length of the event (its length as a JSON line)
 * 12      8   payload: time the channel accepted it (epoch ms)
 * 20  L - 12  payload: the event in the channel's format
 * </pre>
 *
 * The writer writes the payload, then the CRC, then the length, so a frame cut short by a crash of
 * the process reads as the end (with non-zero bytes after it: a torn tail). The position of a
 * record is its offset in the stream of the channel's events as JSON lines: the next record is at
 * {@code position + lineLength + 1}, across segments too.
 */
public final class SegmentLayout {
    public static final int MAGIC = 0x44535153;
    public static final short VERSION = 1;
    public static final int HEADER_BYTES = 64;
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int FLAGS_OFFSET = 6;
    public static final int SEGMENT_ID_OFFSET = 8;
    public static final int BASE_POSITION_OFFSET = 16;
    public static final int INCARNATION_RANDOM_OFFSET = 24;
    public static final int INCARNATION_MILLIS_OFFSET = 32;
    public static final int HEADER_CRC_OFFSET = 40;

    /** Frame length and CRC. */
    public static final int FRAME_HEADER_BYTES = 8;
    public static final int LINE_LENGTH_OFFSET = 8;
    public static final int TIME_OFFSET = 12;
    public static final int DATA_OFFSET = 20;
    /** Payload bytes before the event's data. */
    public static final int PAYLOAD_META_BYTES = 12;
    /** Largest line length a frame may claim (keeps position arithmetic far from overflow). */
    public static final int MAX_LINE_LENGTH = 1 << 30;
    /** Positions stay below this. */
    public static final long MAX_POSITION = 1L << 62;

    public static final String SUFFIX = ".seg";
    /**
     * A file being allocated as the next segment (zeros, no header yet): renamed to its
     * {@code .seg} name when it becomes the segment being written; deleted when the channel opens.
     */
    public static final String ALLOC_SUFFIX = ".alloc";

    private SegmentLayout() {
    }

    /** Bytes a frame of {@code dataLength} bytes of event takes. */
    public static int frameBytes(int dataLength) {
        return FRAME_HEADER_BYTES + PAYLOAD_META_BYTES + dataLength;
    }

    public static String fileName(long id) {
        return String.format("%016x", id) + SUFFIX;
    }

    /** The id in a segment file name, or -1 when it is not one. */
    public static long idOf(String fileName) {
        if (!fileName.endsWith(SUFFIX) || fileName.length() != 16 + SUFFIX.length()) {
            return -1;
        }
        try {
            return Long.parseUnsignedLong(fileName.substring(0, 16), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
