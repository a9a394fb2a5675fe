package io.datastream.agent.ship;

import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.ProtocolVersion;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.frame.Ack;
import io.datastream.protocol.frame.AckStatus;
import io.datastream.protocol.frame.BatchFrame;
import io.datastream.protocol.frame.Credit;
import io.datastream.protocol.frame.Frame;
import io.datastream.protocol.frame.FrameDecoder;
import io.datastream.protocol.frame.FrameEncoder;
import io.datastream.protocol.frame.GoAway;
import io.datastream.protocol.frame.GoAwayReason;
import io.datastream.protocol.frame.Hello;
import io.datastream.protocol.frame.Welcome;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A scripted router for shipper tests: answers HELLO, records every batch with the credit it
 * had, and acknowledges as {@link #policy} says (null = hold the ack).
 */
final class FakeRouter implements AutoCloseable {
    record Received(long batchId, byte[] bytes, long sentTotal, long limit) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    volatile Function<Received, AckStatus> policy = r -> AckStatus.OK;
    volatile long initialCredit = 1 << 20;
    volatile int maxBatchBytes = 8 << 20;
    volatile boolean grantOnAck = true;
    volatile int hellos;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private volatile Channel conn;
    private long limit;
    private long sent;

    FakeRouter() throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class).childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new FrameDecoder(64 << 20), FrameEncoder.INSTANCE, new Handler());
            }
        }).bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    String address() {
        return "127.0.0.1:" + port();
    }

    /** Sends a GOAWAY on the current connection. */
    void goAway(List<String> suggested) {
        Channel c = conn;
        c.eventLoop().execute(() -> c.writeAndFlush(new GoAway(GoAwayReason.DRAIN, suggested, "test drain")));
    }

    /** Acknowledges a held batch. */
    void ack(long batchId, AckStatus status) {
        Channel c = conn;
        c.eventLoop().execute(() -> {
            c.writeAndFlush(new Ack(batchId, status, status == AckStatus.OK ? ErrorCode.NONE : ErrorCode.NO_ROUTE, "test"));
            if (grantOnAck) {
                grant(c);
            }
        });
    }

    private void grant(Channel c) {
        limit = sent + initialCredit;
        c.writeAndFlush(new Credit(limit));
    }

    private final class Handler extends SimpleChannelInboundHandler<Frame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame f) {
            if (f instanceof Hello) {
                hellos++;
                conn = ctx.channel();
                sent = 0;
                limit = initialCredit;
                ctx.writeAndFlush(new Welcome(ProtocolVersion.V1, CodecType.supportedMask(), 1000, maxBatchBytes, limit, "fake", Map.of()));
            } else if (f instanceof BatchFrame b) {
                sent += b.creditCost();
                if (sent > limit) {
                    violations.add("sent " + sent + " > credit " + limit);
                }
                Received r = new Received(b.batchId(), ByteBufUtil.getBytes(b.batch()), sent, limit);
                received.add(r);
                AckStatus s = policy.apply(r);
                if (s != null) {
                    ctx.writeAndFlush(new Ack(b.batchId(), s, s == AckStatus.OK ? ErrorCode.NONE
                            : s == AckStatus.RETRY_LATER ? ErrorCode.OVERLOADED : ErrorCode.NO_ROUTE, "test"));
                    if (grantOnAck) {
                        grant(ctx.channel());
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
