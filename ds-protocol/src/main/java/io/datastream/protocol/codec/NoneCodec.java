package io.datastream.protocol.codec;

import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.ErrorCode;
import io.netty.buffer.ByteBuf;

/** Stores the payload as is. */
final class NoneCodec implements Codec {

    @Override
    public CodecType type() {
        return CodecType.NONE;
    }

    @Override
    public int maxCompressedLength(int length) {
        return length;
    }

    @Override
    public int compress(ByteBuf src, int srcIndex, int length, ByteBuf dst) {
        dst.writeBytes(src, srcIndex, length);
        return length;
    }

    @Override
    public void decompress(ByteBuf src, int srcIndex, int length, ByteBuf dst, int uncompressedLength)
            throws CorruptBatchException {
        if (length != uncompressedLength) {
            throw new CorruptBatchException(ErrorCode.CORRUPT_BATCH,
                    "codec none: payload length " + length + " != uncompressed length " + uncompressedLength);
        }
        dst.writeBytes(src, srcIndex, length);
    }
}
