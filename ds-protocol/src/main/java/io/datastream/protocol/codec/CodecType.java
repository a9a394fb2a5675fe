package io.datastream.protocol.codec;

import java.util.Locale;

/** Codec wire ids, fixed forever (they are persisted in Kafka). */
public enum CodecType {
    NONE(0),
    LZ4(1),
    ZSTD(2);

    private final int id;

    CodecType(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** Bit of this codec in the HELLO/WELCOME codec masks. */
    public int mask() {
        return 1 << id;
    }

    /** The codec for a wire id, or null for an id this version does not know. */
    public static CodecType fromId(int id) {
        return switch (id) {
            case 0 -> NONE;
            case 1 -> LZ4;
            case 2 -> ZSTD;
            default -> null;
        };
    }

    /** Mask of every codec this build supports. */
    public static int supportedMask() {
        int m = 0;
        for (CodecType t : values()) {
            m |= t.mask();
        }
        return m;
    }

    /** Parses a config name ("none", "lz4", "zstd"), case-insensitive. */
    public static CodecType parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown codec '" + name + "': expected none, lz4 or zstd", e);
        }
    }

    /**
     * The most bytes that {@code compressedLength} bytes of this codec's output can decompress
     * to, by the format's own structure: itself for none; 255 per input byte for an LZ4 block
     * (a match grows by at most 255 per length byte); 32768 per input byte for zstd (an RLE block
     * of 4 bytes gives at most 128 KiB). A declared size above it is a lie, found before anything
     * is allocated for it.
     */
    public long maxUncompressedLength(int compressedLength) {
        return switch (this) {
            case NONE -> compressedLength;
            case LZ4 -> 255L * compressedLength + 255;
            case ZSTD -> 32_768L * compressedLength;
        };
    }

    /** A new codec instance of this type; {@code level} is used by zstd only. */
    public Codec create(int level) {
        return switch (this) {
            case NONE -> new NoneCodec();
            case LZ4 -> new Lz4Codec();
            case ZSTD -> new ZstdCodec(level);
        };
    }

    /** A new codec with the type's default level. */
    public Codec create() {
        return create(ZstdCodec.DEFAULT_LEVEL);
    }
}
