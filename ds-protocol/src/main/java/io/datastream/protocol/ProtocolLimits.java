package io.datastream.protocol;

/**
 * Size limits applied to untrusted input before anything is allocated for it.
 *
 * @param maxFrameLength      largest accepted frame length field (bytes after the length field)
 * @param maxUncompressedSize largest accepted declared uncompressed payload of a batch
 * @param maxRecordCount      largest accepted record count of a batch
 */
public record ProtocolLimits(int maxFrameLength, int maxUncompressedSize, int maxRecordCount) {

    /** 16 MiB frames, 64 MiB uncompressed batches, 4 Mi records: generous for any agent setting. */
    public static final ProtocolLimits DEFAULT = new ProtocolLimits(16 << 20, 64 << 20, 4 << 20);

    public ProtocolLimits {
        if (maxFrameLength < 64) {
            throw new IllegalArgumentException("maxFrameLength must be >= 64, was " + maxFrameLength);
        }
        if (maxUncompressedSize < 0) {
            throw new IllegalArgumentException("maxUncompressedSize must be >= 0, was " + maxUncompressedSize);
        }
        if (maxRecordCount < 0) {
            throw new IllegalArgumentException("maxRecordCount must be >= 0, was " + maxRecordCount);
        }
    }
}
