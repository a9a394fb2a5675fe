package io.datastream.protocol.codec;

import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.ErrorCode;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * LZ4 block format (no frame header: the batch header carries both sizes). Decompression uses
 * the safe decompressor, which never reads or writes outside the given bounds.
 */
final class Lz4Codec implements Codec {
    private static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();

    private final LZ4Compressor compressor = FACTORY.fastCompressor();
    private final LZ4SafeDecompressor decompressor = FACTORY.safeDecompressor();

    @Override
    public CodecType type() {
        return CodecType.LZ4;
    }

    @Override
    public int maxCompressedLength(int length) {
        return compressor.maxCompressedLength(length);
    }

    @Override
    public int compress(ByteBuf src, int srcIndex, int length, ByteBuf dst) {
        int max = maxCompressedLength(length);
        ByteBuffer in = NioBuffers.in(src, srcIndex, length, false);
        ByteBuffer out = NioBuffers.out(dst, max, false);
        int n = compressor.compress(in, in.position(), length, out, out.position(), max);
        NioBuffers.commit(dst, out, n, false);
        return n;
    }

    @Override
    public void decompress(ByteBuf src, int srcIndex, int length, ByteBuf dst, int uncompressedLength)
            throws CorruptBatchException {
        ByteBuffer in = NioBuffers.in(src, srcIndex, length, false);
        ByteBuffer out = NioBuffers.out(dst, uncompressedLength, false);
        int n;
        try {
            n = decompressor.decompress(in, in.position(), length, out, out.position(), uncompressedLength);
        } catch (RuntimeException e) {
            throw new CorruptBatchException(ErrorCode.CORRUPT_BATCH, "lz4 payload is corrupt: " + e.getMessage(), e);
        }
        if (n != uncompressedLength) {
            throw new CorruptBatchException(ErrorCode.CORRUPT_BATCH,
                    "lz4 payload decompressed to " + n + " bytes, header says " + uncompressedLength);
        }
        NioBuffers.commit(dst, out, n, false);
    }
}
