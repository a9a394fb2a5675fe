package io.datastream.agent.ship;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.datastream.protocol.frame.FrameDecoder;
import io.datastream.protocol.frame.FrameEncoder;

/** Pipeline of a router connection: frame decoder (bounded), frame encoder, the shipper's handler. */
final class RouterChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final Shipper shipper;
    private final int maxFrame;

    RouterChannelInitializer(Shipper shipper, int maxFrame) {
        this.shipper = shipper;
        this.maxFrame = maxFrame;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast("decoder", new FrameDecoder(maxFrame));
        ch.pipeline().addLast("encoder", FrameEncoder.INSTANCE);
        ch.pipeline().addLast("handler", new RouterHandler(shipper));
    }
}
