package io.datastream.router.server;

import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.frame.BatchFrame;
import io.datastream.protocol.frame.FrameCodec;
import io.datastream.protocol.frame.FrameType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sits in front of the frame decoder and reads frame headers as they stream by, so that nothing
 * is buffered for a frame the router would refuse: a BATCH beyond the connection's credit (ERROR
 * NO_CREDIT), a BATCH before HELLO (ERROR PROTOCOL_VIOLATION), or a control frame larger than any
 * valid one (ERROR FRAME_TOO_LARGE). A connection can therefore make the router buffer at most the
 * credit it was granted plus one control frame. Lengths the decoder itself refuses (below the
 * minimum, above the maximum) are passed on for the decoder to report.
 *
 * <p>The gate also assembles admitted BATCH frames itself: it reads the batch id, then copies the
 * batch bytes from the socket's buffers straight into a heap array of exactly the batch's length
 * and passes a {@link BatchFrame} over that array on (the decoder lets decoded frames through).
 * The bytes are copied once on their way in, and the Kafka producer, which takes a {@code byte[]}
 * of exactly the record's value, gets that array without another copy (envelope mode). Control
 * frames go through the decoder as before: their header bytes, held by the gate until the type is
 * known, are passed on in front of their bodies.
 */
final class FrameGate extends ChannelInboundHandlerAdapter {
    /** What the gate is reading. */
    private enum State { HEADER, CONTROL_BODY, BATCH_ID, BATCH_BYTES, PASS_THROUGH, FAILED }

    private final Connection conn;
    private final int maxFrameLength;
    private final byte[] header = new byte[FrameCodec.HEADER_LENGTH];
    private State state = State.HEADER;
    private int fill;
    /** CONTROL_BODY: body bytes still to pass on. */
    private long remaining;
    private long batchId;
    private byte[] batch;
    private ErrorCode failCode;
    private String failMessage;

    FrameGate(Connection conn, int maxFrameLength) {
        this.conn = conn;
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf) || state == State.PASS_THROUGH) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (state == State.FAILED) {
            buf.release();
            return;
        }
        try {
            read(ctx, buf);
        } finally {
            buf.release();
        }
        if (state == State.FAILED) {
            conn.fatal(failCode, failMessage);
        }
    }

    /** Walks {@code buf}; passes control frame bytes on as retained slices (in order), batches as frames. */
    private void read(ChannelHandlerContext ctx, ByteBuf buf) {
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        while (i < end) {
            switch (state) {
                case HEADER -> {
                    header[fill++] = buf.getByte(i++);
                    if (fill == 4 && !lengthValid()) {
                        state = State.PASS_THROUGH; // the decoder reports it, as soon as the length is in
                        passHeader(ctx, fill);
                        fill = 0;
                    } else if (fill == header.length) {
                        fill = 0;
                        inspect(ctx);
                    }
                }
                case CONTROL_BODY -> {
                    int n = (int) Math.min(remaining, end - i);
                    ctx.fireChannelRead(buf.retainedSlice(i, n));
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.HEADER;
                    }
                }
                case BATCH_ID -> {
                    batchId = (batchId << 8) | (buf.getByte(i++) & 0xFFL);
                    if (++fill == BatchFrame.BODY_OVERHEAD) {
                        fill = 0;
                        state = State.BATCH_BYTES;
                        batchBytesDone(ctx);
                    }
                }
                case BATCH_BYTES -> {
                    int n = Math.min(batch.length - fill, end - i);
                    buf.getBytes(i, batch, fill, n);
                    i += n;
                    fill += n;
                    batchBytesDone(ctx);
                }
                case PASS_THROUGH -> {
                    ctx.fireChannelRead(buf.retainedSlice(i, end - i));
                    i = end;
                }
                case FAILED -> i = end;
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    /** Passes the batch on once all of its bytes are in. */
    private void batchBytesDone(ChannelHandlerContext ctx) {
        if (fill < batch.length) {
            return;
        }
        BatchFrame frame = new BatchFrame(batchId, Unpooled.wrappedBuffer(batch));
        batch = null;
        fill = 0;
        state = State.HEADER;
        ctx.fireChannelRead(frame);
    }

    private long length() {
        return ((header[0] & 0xFFL) << 24) | ((header[1] & 0xFFL) << 16) | ((header[2] & 0xFFL) << 8) | (header[3] & 0xFFL);
    }

    /** Whether the length field (the header's first 4 bytes) is one the decoder accepts. */
    private boolean lengthValid() {
        long length = length();
        return length >= FrameCodec.LENGTH_FIELD_OVERHEAD && length <= maxFrameLength;
    }

    /** Checks a complete frame header (its length is valid) and picks what comes next. */
    private void inspect(ChannelHandlerContext ctx) {
        long length = length();
        int type = header[4] & 0xFF;
        long body = length - FrameCodec.LENGTH_FIELD_OVERHEAD;
        if (type == FrameType.BATCH.id()) {
            if (conn.awaitingHello()) {
                fail(ErrorCode.PROTOCOL_VIOLATION, "BATCH before HELLO");
                return;
            }
            if (!conn.admit(body)) {
                fail(ErrorCode.NO_CREDIT, "BATCH of " + body + " bytes beyond the credit: " + conn.received() + " of "
                        + conn.creditLimit() + " bytes used");
                return;
            }
            if (body >= BatchFrame.BODY_OVERHEAD) {
                batchId = 0;
                batch = new byte[(int) body - BatchFrame.BODY_OVERHEAD];
                state = State.BATCH_ID;
                return;
            }
            // too short for a batch id: the decoder reports it
        } else if (length > ServerSettings.MAX_CONTROL_FRAME) {
            fail(ErrorCode.FRAME_TOO_LARGE, "a frame of type 0x" + Integer.toHexString(type) + " and " + length
                    + " bytes is larger than any valid control frame (" + ServerSettings.MAX_CONTROL_FRAME + ")");
            return;
        }
        passHeader(ctx, header.length);
        remaining = body;
        state = body == 0 ? State.HEADER : State.CONTROL_BODY;
    }

    private void passHeader(ChannelHandlerContext ctx, int n) {
        ctx.fireChannelRead(Unpooled.copiedBuffer(header, 0, n));
    }

    private void fail(ErrorCode code, String message) {
        state = State.FAILED;
        failCode = code;
        failMessage = message;
    }
}
