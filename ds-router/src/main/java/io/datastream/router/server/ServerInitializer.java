package io.datastream.router.server;

import io.datastream.protocol.frame.FrameDecoder;
import io.datastream.protocol.frame.FrameEncoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of an agent connection:
 * <pre>
 * [sniffer -> tls] -> idle -> encoder (outbound) -> gate -> decoder -> handler
 * </pre>
 * With TLS, a {@link TlsSniffer} comes first and puts the TLS handler in its place when the
 * client speaks TLS (a plaintext client gets a plaintext ERROR instead).
 */
final class ServerInitializer extends ChannelInitializer<Channel> {
    private final ServerContext ctx;

    ServerInitializer(ServerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    protected void initChannel(Channel ch) {
        ServerSettings s = ctx.settings();
        Connection conn = new Connection(ch, ctx);
        ChannelPipeline p = ch.pipeline();
        if (s.sslContext() != null) {
            p.addLast("sniffer", new TlsSniffer(s.sslContext(), ctx));
        }
        p.addLast("idle", new IdleStateHandler(s.idleTimeoutMs(), s.heartbeatIntervalMs(), 0, TimeUnit.MILLISECONDS));
        p.addLast("encoder", FrameEncoder.INSTANCE);
        p.addLast("gate", new FrameGate(conn, s.limits().maxFrameLength()));
        p.addLast("decoder", new FrameDecoder(s.limits().maxFrameLength()));
        p.addLast("handler", new ConnectionHandler(conn, ctx));
    }
}
