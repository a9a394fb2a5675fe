package io.datastream.router.server;

import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.ProtocolException;
import io.datastream.protocol.frame.BatchFrame;
import io.datastream.protocol.frame.ErrorFrame;
import io.datastream.protocol.frame.Frame;
import io.datastream.protocol.frame.Heartbeat;
import io.datastream.protocol.frame.Hello;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.datastream.router.auth.Refusal;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol state machine of one connection: HELLO first (checked by {@link Handshake}),
 * then BATCH frames ({@link BatchIntake}) and HEARTBEATs; anything else from an agent is a
 * protocol violation. Bad frames, idle peers and the connection limit end in an ERROR frame and
 * a close; other connections are never affected.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);

    private final Connection conn;
    private final ServerContext ctx;

    ConnectionHandler(Connection conn, ServerContext ctx) {
        this.conn = conn;
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext c) throws Exception {
        super.channelActive(c);
        if (ctx.draining().getAsBoolean()) {
            conn.fatal(ErrorCode.SHUTTING_DOWN, "the router is shutting down; connect to another one");
            return;
        }
        if (!ctx.connections().tryAdd(conn)) {
            conn.fatal(ErrorCode.TOO_MANY_CONNECTIONS, "the router has reached its limit of " + ctx.settings().maxConnections() + " connections");
            return;
        }
        ctx.metrics().connectionAccepted();
        long timeout = ctx.settings().idleTimeoutMs();
        c.executor().schedule(() -> {
            if (conn.awaitingHello()) {
                conn.fatal(ErrorCode.IDLE_TIMEOUT, "no HELLO within " + timeout + " ms");
            }
        }, timeout, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) throws Exception {
        ctx.connections().remove(conn);
        conn.closed();
        super.channelInactive(c);
    }

    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
        if (msg instanceof BatchFrame batch) {
            if (!conn.isOpen()) {
                batch.release();
                conn.fatal(ErrorCode.PROTOCOL_VIOLATION, "BATCH before HELLO");
                return;
            }
            BatchIntake.accept(conn, batch, ctx);
            return;
        }
        if (!(msg instanceof Frame frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (frame instanceof Hello hello) {
            onHello(hello, PeerCertificates.commonName(c.pipeline().get(SslHandler.class)));
        } else if (frame instanceof Heartbeat) {
            // liveness only: reading it reset the idle timer
        } else if (frame instanceof ErrorFrame error) {
            LOG.info("agent {} reported {}: {}", conn.agentId(), error.code(), error.message());
            c.close();
        } else {
            conn.fatal(ErrorCode.PROTOCOL_VIOLATION, frame.type() + " is a router-to-agent frame");
        }
    }

    private void onHello(Hello hello, String certificateCn) {
        if (!conn.awaitingHello()) {
            conn.fatal(ErrorCode.PROTOCOL_VIOLATION, "a second HELLO");
            return;
        }
        Handshake.Result r = Handshake.check(hello, ctx.credentials(), certificateCn);
        if (!r.ok()) {
            if (r.refusal() != null) {
                ctx.authMetrics().refused(r.refusal());
            }
            LOG.info("refused agent {} on host {}: {}", hello.agentId(), hello.host(), r.error().message());
            conn.fatal(r.error().code(), r.error().message());
            return;
        }
        conn.open(hello.agentId(), hello.host(), r.identity(), r.version(), r.codecMask());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext c, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess()) {
                ctx.authMetrics().refused(Refusal.TLS_HANDSHAKE);
                LOG.info("TLS handshake with {} failed: {}", c.channel().remoteAddress(), rootMessage(done.cause()));
                c.close();
            }
            return;
        }
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                conn.fatal(ErrorCode.IDLE_TIMEOUT, "nothing received for " + ctx.settings().idleTimeoutMs() + " ms");
            } else if (idle.state() == IdleState.WRITER_IDLE && conn.isOpen()) {
                c.writeAndFlush(new Heartbeat(System.currentTimeMillis()));
            }
            return;
        }
        super.userEventTriggered(c, evt);
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() instanceof ProtocolException pe) {
            LOG.debug("bad frame from {}: {}", c.channel().remoteAddress(), pe.getMessage());
            conn.fatal(pe.code(), pe.getMessage());
        } else if (cause instanceof IOException || cause instanceof NotSslRecordException || cause.getCause() instanceof SSLException) {
            // reset by peer, or TLS failed: no frame can reach the peer
            LOG.debug("connection {} failed: {}", c.channel().remoteAddress(), cause.toString());
            c.close();
        } else {
            LOG.warn("unexpected error on connection {}", conn, cause);
            conn.fatal(ErrorCode.INTERNAL, "internal error: " + cause);
        }
    }
}
