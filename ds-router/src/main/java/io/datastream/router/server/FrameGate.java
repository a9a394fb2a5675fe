package io.datastream.router.server;

import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.frame.FrameCodec;
import io.datastream.protocol.frame.FrameType;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sits in front of the frame decoder and reads only frame headers as they stream by, so that the
 * decoder never buffers a frame the router would refuse: a BATCH beyond the connection's credit
 * (ERROR NO_CREDIT), a BATCH before HELLO (ERROR PROTOCOL_VIOLATION), or a control frame larger
 * than any valid one (ERROR FRAME_TOO_LARGE). A connection can therefore make the router buffer at
 * most the credit it was granted plus one control frame. Lengths the decoder itself refuses
 * (below the minimum, above the maximum) are passed on for the decoder to report.
 */
final class FrameGate extends ChannelInboundHandlerAdapter {
    private final Connection conn;
    private final int maxFrameLength;
    private final byte[] header = new byte[FrameCodec.HEADER_LENGTH];
    private int headerFill;
    private long frameRemaining;
    private boolean passThrough;
    private boolean failed;
    private ErrorCode failCode;
    private String failMessage;

    FrameGate(Connection conn, int maxFrameLength) {
        this.conn = conn;
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf) || passThrough) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (failed) {
            buf.release();
            return;
        }
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        int headerStart = buf.readerIndex();
        while (i < end && !passThrough) {
            if (frameRemaining > 0) {
                int skip = (int) Math.min(frameRemaining, end - i);
                i += skip;
                frameRemaining -= skip;
                continue;
            }
            if (headerFill == 0) {
                headerStart = i;
            }
            header[headerFill++] = buf.getByte(i++);
            if (headerFill == header.length) {
                headerFill = 0;
                if (!inspect()) {
                    // frames before the refused one were admitted: they are still processed
                    int admitted = headerStart - buf.readerIndex();
                    if (admitted > 0) {
                        ctx.fireChannelRead(buf.retainedSlice(buf.readerIndex(), admitted));
                    }
                    buf.release();
                    fail();
                    return;
                }
            }
        }
        ctx.fireChannelRead(buf);
    }

    /** Checks a complete frame header; false when the connection was failed. */
    private boolean inspect() {
        long length = ((header[0] & 0xFFL) << 24) | ((header[1] & 0xFFL) << 16) | ((header[2] & 0xFFL) << 8) | (header[3] & 0xFFL);
        int type = header[4] & 0xFF;
        if (length < FrameCodec.LENGTH_FIELD_OVERHEAD || length > maxFrameLength) {
            passThrough = true; // the decoder reports it
            return true;
        }
        long body = length - FrameCodec.LENGTH_FIELD_OVERHEAD;
        if (type == FrameType.BATCH.id()) {
            if (conn.awaitingHello()) {
                return fail(ErrorCode.PROTOCOL_VIOLATION, "BATCH before HELLO");
            }
            if (!conn.admit(body)) {
                return fail(ErrorCode.NO_CREDIT, "BATCH of " + body + " bytes beyond the credit: " + conn.received() + " of "
                        + conn.creditLimit() + " bytes used");
            }
        } else if (length > ServerSettings.MAX_CONTROL_FRAME) {
            return fail(ErrorCode.FRAME_TOO_LARGE, "a frame of type 0x" + Integer.toHexString(type) + " and " + length
                    + " bytes is larger than any valid control frame (" + ServerSettings.MAX_CONTROL_FRAME + ")");
        }
        frameRemaining = body;
        return true;
    }

    private boolean fail(ErrorCode code, String message) {
        failed = true;
        failCode = code;
        failMessage = message;
        return false;
    }

    private void fail() {
        conn.fatal(failCode, failMessage);
    }
}
