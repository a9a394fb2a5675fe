package io.datastream.protocol.frame;

import io.datastream.protocol.CorruptFrameException;
import io.datastream.protocol.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream into {@link Frame}s. The length field is checked against
 * {@code maxFrameLength} as soon as its 4 bytes are in, before the frame is buffered, so a
 * hostile length never causes an allocation. After the first corrupt frame the decoder
 * discards everything that follows (the connection is closed by the handler that receives the
 * {@link CorruptFrameException}, wrapped in a {@code DecoderException}).
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private final int maxFrameLength;
    private boolean failed;

    /** @param maxFrameLength the largest accepted value of the length field */
    public FrameDecoder(int maxFrameLength) {
        if (maxFrameLength < 64) {
            throw new IllegalArgumentException("maxFrameLength must be >= 64, was " + maxFrameLength);
        }
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws CorruptFrameException {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        Frame frame = decodeOne(in, maxFrameLength);
        if (frame != null) {
            out.add(frame);
        }
    }

    /**
     * Decodes one frame from {@code in} if it is complete, or returns null and leaves {@code in}
     * unchanged. Usable without a channel (tests, fuzzing, tools).
     */
    public static Frame decodeOne(ByteBuf in, int maxFrameLength) throws CorruptFrameException {
        if (in.readableBytes() < 4) {
            return null;
        }
        long length = in.getUnsignedInt(in.readerIndex());
        if (length < FrameCodec.LENGTH_FIELD_OVERHEAD) {
            throw new CorruptFrameException(ErrorCode.MALFORMED_FRAME, "frame length " + length + " is below the minimum of 2");
        }
        if (length > maxFrameLength) {
            throw new CorruptFrameException(ErrorCode.FRAME_TOO_LARGE, "frame length " + length + " is over the limit of " + maxFrameLength);
        }
        if (in.readableBytes() < 4 + length) {
            return null;
        }
        in.skipBytes(4);
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        ByteBuf body = in.readSlice((int) length - FrameCodec.LENGTH_FIELD_OVERHEAD);
        return FrameCodec.decodeBody(type, flags, body);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        failed = true;
        super.exceptionCaught(ctx, cause);
    }

    @Override
    protected void callDecode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            super.callDecode(ctx, in, out);
        } catch (RuntimeException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }
}
