package io.datastream.protocol.codec;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * NIO views of Netty buffers for the native codecs. A view shares memory with its buffer when
 * the buffer is one contiguous region of the wanted kind (direct when {@code direct} is asked);
 * otherwise a staging buffer stands in, and {@link #commit} copies the result back.
 */
final class NioBuffers {
    private NioBuffers() {
    }

    static boolean canShare(ByteBuf buf, boolean direct) {
        return buf.nioBufferCount() == 1 && (!direct || buf.isDirect());
    }

    /** {@code length} input bytes at {@code index}; they start at the result's position. */
    static ByteBuffer in(ByteBuf src, int index, int length, boolean direct) {
        if (canShare(src, direct)) {
            return src.nioBuffer(index, length);
        }
        ByteBuffer copy = direct ? ByteBuffer.allocateDirect(Math.max(1, length)) : ByteBuffer.allocate(length);
        copy.limit(length);
        src.getBytes(index, copy);
        copy.flip();
        return copy;
    }

    /** Room for {@code length} output bytes at {@code dst}'s writer index. */
    static ByteBuffer out(ByteBuf dst, int length, boolean direct) {
        dst.ensureWritable(length);
        if (canShare(dst, direct)) {
            return dst.nioBuffer(dst.writerIndex(), length);
        }
        ByteBuffer staging = direct ? ByteBuffer.allocateDirect(Math.max(1, length)) : ByteBuffer.allocate(length);
        staging.limit(length);
        return staging;
    }

    /** Makes {@code n} bytes written into {@code out} part of {@code dst} and advances its writer index. */
    static void commit(ByteBuf dst, ByteBuffer out, int n, boolean direct) {
        if (!canShare(dst, direct)) {
            ByteBuffer region = out.duplicate();
            region.position(0).limit(n);
            dst.setBytes(dst.writerIndex(), region);
        }
        dst.writerIndex(dst.writerIndex() + n);
    }
}
