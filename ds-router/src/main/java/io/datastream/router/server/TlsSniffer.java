package io.datastream.router.server;

import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.frame.ErrorFrame;
import io.datastream.protocol.frame.FrameCodec;
import io.datastream.router.auth.Refusal;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of a TLS port. When the first bytes are a TLS record it replaces itself with
 * the {@link SslHandler}; otherwise (an agent without {@code tls.enabled}) it answers one
 * plaintext {@code ERROR PROTOCOL_VIOLATION} saying that TLS is required, counts the refusal and
 * closes, so that the agent's log says why instead of showing a reset.
 */
final class TlsSniffer extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(TlsSniffer.class);
    /** A TLS record header is 5 bytes. */
    private static final int PEEK = 5;
    static final String MESSAGE = "this router requires TLS: set tls.enabled on the agent";

    private final SslContext ssl;
    private final ServerContext ctx;

    TlsSniffer(SslContext ssl, ServerContext ctx) {
        this.ssl = ssl;
        this.ctx = ctx;
    }

    @Override
    protected void decode(ChannelHandlerContext c, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < PEEK) {
            return;
        }
        if (SslHandler.isEncrypted(in, false)) {
            c.pipeline().replace(this, "tls", ssl.newHandler(c.alloc()));
            return;
        }
        in.skipBytes(in.readableBytes());
        ctx.authMetrics().refused(Refusal.PLAINTEXT);
        ctx.metrics().error(ErrorCode.PROTOCOL_VIOLATION);
        LOG.info("refused a plaintext connection from {}: this port requires TLS", c.channel().remoteAddress());
        ByteBuf buf = c.alloc().buffer(64);
        FrameCodec.encodeControl(new ErrorFrame(ErrorCode.PROTOCOL_VIOLATION, MESSAGE), buf);
        c.writeAndFlush(buf).addListener(ChannelFutureListener.CLOSE);
        c.channel().config().setAutoRead(false);
    }
}
