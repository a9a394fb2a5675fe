package io.datastream.protocol.codec;

import io.datastream.protocol.CorruptBatchException;
import io.netty.buffer.ByteBuf;

/**
 * Compresses and decompresses batch payloads. Not thread-safe: one instance per thread.
 */
public interface Codec extends AutoCloseable {

    CodecType type();

    /** Upper bound of the compressed size of {@code length} input bytes. */
    int maxCompressedLength(int length);

    /**
     * Compresses {@code length} bytes of {@code src} starting at {@code srcIndex} and writes them
     * at {@code dst}'s writer index, which it advances. {@code dst} must have
     * {@link #maxCompressedLength(int)} writable bytes.
     *
     * @return the number of compressed bytes written
     */
    int compress(ByteBuf src, int srcIndex, int length, ByteBuf dst);

    /**
     * Decompresses {@code length} bytes of {@code src} starting at {@code srcIndex} into
     * {@code dst} at its writer index (advanced by {@code uncompressedLength}). {@code dst} must
     * have {@code uncompressedLength} writable bytes. The output must be exactly
     * {@code uncompressedLength} bytes long.
     *
     * @throws CorruptBatchException when the input is not valid for this codec or its size differs
     */
    void decompress(ByteBuf src, int srcIndex, int length, ByteBuf dst, int uncompressedLength)
            throws CorruptBatchException;

    /** Frees native state; the codec must not be used afterwards. */
    @Override
    default void close() {
    }
}
