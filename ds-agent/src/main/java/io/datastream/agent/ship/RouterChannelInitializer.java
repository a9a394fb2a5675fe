package io.datastream.agent.ship;

import io.datastream.protocol.frame.FrameDecoder;
import io.datastream.protocol.frame.FrameEncoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;

/**
 * Pipeline of a router connection: [tls] -> frame decoder (bounded), frame encoder, the shipper's
 * handler. With TLS, the handler is told of the handshake's outcome; HELLO written before it
 * completes waits in the TLS handler.
 */
final class RouterChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final Shipper shipper;
    private final int maxFrame;
    private final SslContext ssl;
    private final String peerHost;
    private final int peerPort;

    /**
     * @param ssl      TLS context, or null for plain TCP
     * @param peerHost the name the router's certificate must carry (and SNI)
     */
    RouterChannelInitializer(Shipper shipper, int maxFrame, SslContext ssl, String peerHost, int peerPort) {
        this.shipper = shipper;
        this.maxFrame = maxFrame;
        this.ssl = ssl;
        this.peerHost = peerHost;
        this.peerPort = peerPort;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (ssl != null) {
            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc(), peerHost, peerPort));
        }
        ch.pipeline().addLast("decoder", new FrameDecoder(maxFrame));
        ch.pipeline().addLast("encoder", FrameEncoder.INSTANCE);
        ch.pipeline().addLast("handler", new RouterHandler(shipper));
    }
}
