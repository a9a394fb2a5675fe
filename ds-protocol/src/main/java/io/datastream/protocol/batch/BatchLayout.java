package io.datastream.protocol.batch;

/**
 * Byte offsets of the batch header, version 1. All integers big-endian.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                    magic 0x44534231 "DSB1"                    |  0
 * +---------------+---------------+-------------------------------+
 * |    version    |     codec     |             flags             |  4
 * +---------------+---------------+-------------------------------+
 * |                CRC32C of bytes [12, end of batch)             |  8
 * +-------------------------------+-------------------------------+
 * |        header length H        |           reserved            | 12
 * +-------------------------------+-------------------------------+
 * |                    file fingerprint (u64)                     | 16
 * |                                                               |
 * +---------------------------------------------------------------+
 * |           start offset: source byte offset of record 0        | 24
 * |                                                               |
 * +---------------------------------------------------------------+
 * |           end offset: source byte offset after the last       | 32
 * |                                                               |
 * +---------------------------------------------------------------+
 * |              first event time (ms since the epoch)            | 40
 * |                                                               |
 * +---------------------------------------------------------------+
 * |              last event time (ms since the epoch)             | 48
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                         record count                          | 56
 * +---------------------------------------------------------------+
 * |                  uncompressed payload length                  | 60
 * +---------------------------------------------------------------+
 * |                 payload length (as stored)                    | 64
 * +---------------------------------------------------------------+
 * |                zstd dictionary id (0 = none)                  | 68
 * +---------------------------------------------------------------+
 * | task id, agent id, host, path: each u16 length + UTF-8 bytes  | 72
 * | header count (u16), then count x (key, value) as above        |
 * +---------------------------------------------------------------+
 * |                payload (codec-compressed records)             |  H
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class BatchLayout {
    public static final int MAGIC = 0x44534231;
    public static final int VERSION_1 = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int CODEC_OFFSET = 5;
    public static final int FLAGS_OFFSET = 6;
    public static final int CRC_OFFSET = 8;
    /** The CRC covers every byte from here to the end of the batch. */
    public static final int CRC_START = 12;
    public static final int HEADER_LENGTH_OFFSET = 12;
    public static final int FINGERPRINT_OFFSET = 16;
    public static final int START_OFFSET_OFFSET = 24;
    public static final int END_OFFSET_OFFSET = 32;
    public static final int FIRST_EVENT_TIME_OFFSET = 40;
    public static final int LAST_EVENT_TIME_OFFSET = 48;
    public static final int RECORD_COUNT_OFFSET = 56;
    public static final int UNCOMPRESSED_LENGTH_OFFSET = 60;
    public static final int PAYLOAD_LENGTH_OFFSET = 64;
    public static final int DICTIONARY_ID_OFFSET = 68;
    public static final int FIXED_HEADER_LENGTH = 72;
    /** Largest header length H: the field is a u16. */
    public static final int MAX_HEADER_LENGTH = 0xFFFF;

    public static final int MAX_ID_BYTES = 255;
    public static final int MAX_PATH_BYTES = 4096;
    public static final int MAX_HEADERS = 64;
    public static final int MAX_HEADER_KEY_BYTES = 255;
    public static final int MAX_HEADER_VALUE_BYTES = 1024;

    private BatchLayout() {
    }
}
