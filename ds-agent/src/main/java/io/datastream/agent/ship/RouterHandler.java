package io.datastream.agent.ship;

import io.datastream.protocol.ProtocolException;
import io.datastream.protocol.frame.Ack;
import io.datastream.protocol.frame.BatchFrame;
import io.datastream.protocol.frame.Credit;
import io.datastream.protocol.frame.ErrorFrame;
import io.datastream.protocol.frame.Frame;
import io.datastream.protocol.frame.GoAway;
import io.datastream.protocol.frame.Heartbeat;
import io.datastream.protocol.frame.Hello;
import io.datastream.protocol.frame.Welcome;
import io.datastream.protocol.ErrorCode;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns frames from a router into shipper calls; one per connection, on the shipper's event loop. */
final class RouterHandler extends SimpleChannelInboundHandler<Frame> {
    private static final Logger LOG = LoggerFactory.getLogger(RouterHandler.class);
    private final Shipper shipper;

    RouterHandler(Shipper shipper) {
        this.shipper = shipper;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        shipper.onActive(ctx.channel());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        shipper.onRead(ctx.channel());
        if (frame instanceof Ack a) {
            shipper.onAck(ctx.channel(), a);
        } else if (frame instanceof Credit c) {
            shipper.onCredit(ctx.channel(), c);
        } else if (frame instanceof Welcome w) {
            shipper.onWelcome(ctx.channel(), w);
        } else if (frame instanceof Heartbeat) {
            // liveness only
        } else if (frame instanceof GoAway g) {
            shipper.onGoAway(ctx.channel(), g);
        } else if (frame instanceof ErrorFrame e) {
            shipper.onError(ctx.channel(), e);
        } else if (frame instanceof Hello || frame instanceof BatchFrame) {
            protocolError(ctx, ErrorCode.PROTOCOL_VIOLATION, "a router must not send " + frame.type());
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            shipper.onWritable(ctx.channel());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
            shipper.onTlsFailed(ctx.channel(), done.cause());
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        shipper.onInactive(ctx.channel());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() instanceof ProtocolException pe) {
            protocolError(ctx, pe.code(), pe.getMessage());
            return;
        }
        if (cause instanceof NotSslRecordException || cause.getCause() instanceof SSLException || cause instanceof SSLException) {
            shipper.onTlsFailed(ctx.channel(), cause);
            return;
        }
        LOG.debug("router connection failed: {}", cause.toString());
        ctx.close();
    }

    private void protocolError(ChannelHandlerContext ctx, ErrorCode code, String message) {
        LOG.warn("router sent bad bytes ({}): {}; closing", code, message);
        ctx.writeAndFlush(new ErrorFrame(code, message)).addListener(ChannelFutureListener.CLOSE);
    }
}
