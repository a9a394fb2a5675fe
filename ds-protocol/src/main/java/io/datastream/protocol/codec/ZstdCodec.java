package io.datastream.protocol.codec;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.ErrorCode;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * zstd frames through reusable native contexts. Direct buffers go through zstd-jni's direct
 * buffer API and heap buffers through its array API, without copies; mixed pairs are staged
 * (an array source into a direct destination through a reused array).
 */
final class ZstdCodec implements Codec {
    /** Level used when a config does not say: fast, and near a 10:1 ratio on typical logs. */
    static final int DEFAULT_LEVEL = 1;

    private final int level;
    private ZstdCompressCtx cctx;
    private ZstdDecompressCtx dctx;
    /** Output of array-to-direct compression, reused. */
    private byte[] staging;

    ZstdCodec(int level) {
        if (level < -7 || level > 22) {
            throw new IllegalArgumentException("zstd level must be in [-7, 22], was " + level);
        }
        this.level = level;
    }

    @Override
    public CodecType type() {
        return CodecType.ZSTD;
    }

    @Override
    public int maxCompressedLength(int length) {
        // ZSTD_COMPRESSBOUND
        return length + (length >>> 8) + (length < (128 << 10) ? ((128 << 10) - length) >>> 11 : 0);
    }

    private ZstdCompressCtx cctx() {
        if (cctx == null) {
            cctx = new ZstdCompressCtx();
            cctx.setLevel(level);
            cctx.setChecksum(false);
        }
        return cctx;
    }

    private ZstdDecompressCtx dctx() {
        if (dctx == null) {
            dctx = new ZstdDecompressCtx();
        }
        return dctx;
    }

    @Override
    public int compress(ByteBuf src, int srcIndex, int length, ByteBuf dst) {
        int max = maxCompressedLength(length);
        dst.ensureWritable(max);
        int n;
        if (src.hasArray() && dst.hasArray()) {
            n = cctx().compressByteArray(dst.array(), dst.arrayOffset() + dst.writerIndex(), max,
                    src.array(), src.arrayOffset() + srcIndex, length);
        } else if (src.hasArray()) {
            // an array (a batch builder's records) into a direct buffer: through a reused array
            if (staging == null || staging.length < max) {
                staging = new byte[max];
            }
            n = cctx().compressByteArray(staging, 0, max, src.array(), src.arrayOffset() + srcIndex, length);
            dst.writeBytes(staging, 0, n);
            return n;
        } else {
            ByteBuffer in = NioBuffers.in(src, srcIndex, length, true);
            ByteBuffer out = NioBuffers.out(dst, max, true);
            n = cctx().compressDirectByteBuffer(out, out.position(), max, in, in.position(), length);
            NioBuffers.commit(dst, out, n, true);
            return n;
        }
        dst.writerIndex(dst.writerIndex() + n);
        return n;
    }

    @Override
    public void decompress(ByteBuf src, int srcIndex, int length, ByteBuf dst, int uncompressedLength)
            throws CorruptBatchException {
        dst.ensureWritable(uncompressedLength);
        int n;
        try {
            if (src.hasArray() && dst.hasArray()) {
                n = dctx().decompressByteArray(dst.array(), dst.arrayOffset() + dst.writerIndex(), uncompressedLength,
                        src.array(), src.arrayOffset() + srcIndex, length);
                if (n == uncompressedLength) {
                    dst.writerIndex(dst.writerIndex() + n);
                }
            } else {
                ByteBuffer in = NioBuffers.in(src, srcIndex, length, true);
                ByteBuffer out = NioBuffers.out(dst, uncompressedLength, true);
                n = dctx().decompressDirectByteBuffer(out, out.position(), uncompressedLength,
                        in, in.position(), length);
                if (n == uncompressedLength) {
                    NioBuffers.commit(dst, out, n, true);
                }
            }
        } catch (RuntimeException e) {
            throw new CorruptBatchException(ErrorCode.CORRUPT_BATCH, "zstd payload is corrupt: " + e.getMessage(), e);
        }
        if (n != uncompressedLength) {
            throw new CorruptBatchException(ErrorCode.CORRUPT_BATCH,
                    "zstd payload decompressed to " + n + " bytes, header says " + uncompressedLength);
        }
    }

    @Override
    public void close() {
        if (cctx != null) {
            cctx.close();
            cctx = null;
        }
        if (dctx != null) {
            dctx.close();
            dctx = null;
        }
    }
}
