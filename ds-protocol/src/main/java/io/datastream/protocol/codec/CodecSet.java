package io.datastream.protocol.codec;

/**
 * One codec of each type, created on first use, owned by one thread (a decoder, a shipper, a
 * Flink operator). Close it to free the native state.
 */
public final class CodecSet implements AutoCloseable {
    private final Codec[] codecs = new Codec[CodecType.values().length];
    private final int zstdLevel;

    public CodecSet() {
        this(ZstdCodec.DEFAULT_LEVEL);
    }

    /** @param zstdLevel the level for zstd compression (decompression ignores it) */
    public CodecSet(int zstdLevel) {
        this.zstdLevel = zstdLevel;
    }

    public Codec get(CodecType type) {
        Codec c = codecs[type.ordinal()];
        if (c == null) {
            c = type.create(zstdLevel);
            codecs[type.ordinal()] = c;
        }
        return c;
    }

    @Override
    public void close() {
        for (int i = 0; i < codecs.length; i++) {
            if (codecs[i] != null) {
                codecs[i].close();
                codecs[i] = null;
            }
        }
    }
}
