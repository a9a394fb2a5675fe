package io.datastream.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes {@link Frame}s. A BATCH frame goes out as a 14-byte header followed by the batch
 * buffer itself (no copy); control frames are encoded into one small buffer each. Stateless.
 */
@Sharable
public final class FrameEncoder extends MessageToMessageEncoder<Frame> {
    public static final FrameEncoder INSTANCE = new FrameEncoder();

    private FrameEncoder() {
        super(Frame.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, List<Object> out) {
        if (frame instanceof BatchFrame b) {
            ByteBuf header = ctx.alloc().buffer(FrameCodec.HEADER_LENGTH + BatchFrame.BODY_OVERHEAD);
            FrameCodec.encodeBatchHeader(b, header);
            out.add(header);
            out.add(b.content().retain());
        } else {
            ByteBuf buf = ctx.alloc().buffer(64);
            try {
                FrameCodec.encodeControl(frame, buf);
            } catch (RuntimeException e) {
                buf.release();
                throw e;
            }
            out.add(buf);
        }
    }
}
