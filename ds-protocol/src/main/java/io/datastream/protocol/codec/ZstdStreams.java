package io.datastream.protocol.codec;

import com.github.luben.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * zstd streams (files in the zstd frame format, e.g. logs compressed by logrotate with
 * {@code compresscmd zstd}), for users outside this package, which alone touches zstd-jni.
 */
public final class ZstdStreams {
    private ZstdStreams() {
    }

    /** The decompressed bytes of {@code compressed}, every frame in turn; closing it closes {@code compressed}. */
    public static InputStream decompressing(InputStream compressed) throws IOException {
        return new ZstdInputStream(compressed).setContinuous(false);
    }
}
