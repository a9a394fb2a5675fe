package io.datastream.agent.bench;

import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.ProtocolVersion;
import io.datastream.protocol.batch.BatchLayout;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.frame.Ack;
import io.datastream.protocol.frame.AckStatus;
import io.datastream.protocol.frame.BatchFrame;
import io.datastream.protocol.frame.Credit;
import io.datastream.protocol.frame.Frame;
import io.datastream.protocol.frame.FrameDecoder;
import io.datastream.protocol.frame.FrameEncoder;
import io.datastream.protocol.frame.Hello;
import io.datastream.protocol.frame.Welcome;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal ds protocol sink: answers HELLO, grants 64 MiB of credit, acknowledges every batch
 * OK at once and counts source bytes and records from the batch headers (no decompression, no
 * Kafka). It isolates the agent's own cost.
 */
final class CountingSink implements AutoCloseable {
    final AtomicLong sourceBytes = new AtomicLong();
    final AtomicLong records = new AtomicLong();
    final AtomicLong wireBytes = new AtomicLong();
    final AtomicLong batches = new AtomicLong();
    volatile long firstBatchNanos;
    volatile long lastBatchNanos;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    CountingSink() throws InterruptedException {
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

    private final class Handler extends SimpleChannelInboundHandler<Frame> {
        private long limit;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame f) {
            if (f instanceof Hello) {
                limit = 64L << 20;
                ctx.writeAndFlush(new Welcome(ProtocolVersion.V1, CodecType.supportedMask(), 5000, 16 << 20, limit, "counting-sink", Map.of()));
            } else if (f instanceof BatchFrame b) {
                ByteBuf batch = b.batch();
                int base = batch.readerIndex();
                long start = batch.getLong(base + BatchLayout.START_OFFSET_OFFSET);
                long end = batch.getLong(base + BatchLayout.END_OFFSET_OFFSET);
                sourceBytes.addAndGet(end - start);
                records.addAndGet(batch.getInt(base + BatchLayout.RECORD_COUNT_OFFSET));
                wireBytes.addAndGet(batch.readableBytes());
                batches.incrementAndGet();
                long now = System.nanoTime();
                if (firstBatchNanos == 0) {
                    firstBatchNanos = now;
                }
                lastBatchNanos = now;
                limit += b.creditCost();
                ctx.write(new Ack(b.batchId(), AckStatus.OK, ErrorCode.NONE, ""));
                ctx.writeAndFlush(new Credit(limit));
            }
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
