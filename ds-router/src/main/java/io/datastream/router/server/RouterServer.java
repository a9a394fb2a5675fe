package io.datastream.router.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** The listening socket: one boss thread accepting, a small group of worker event loops. */
public final class RouterServer implements AutoCloseable {
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel serverChannel;
    private final boolean epoll;

    private RouterServer(EventLoopGroup boss, EventLoopGroup workers, Channel serverChannel, boolean epoll) {
        this.boss = boss;
        this.workers = workers;
        this.serverChannel = serverChannel;
        this.epoll = epoll;
    }

    /**
     * Binds {@code host:port} (0 = any free port).
     *
     * @param transport auto, epoll or nio
     * @throws IllegalStateException when epoll is asked for and not available
     * @throws InterruptedException  when interrupted while binding
     */
    public static RouterServer bind(String host, int port, int workerThreads, String transport, ServerContext ctx, String threadPrefix)
            throws InterruptedException {
        boolean useEpoll = switch (transport) {
            case "epoll" -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("listen.transport is epoll but epoll is not available: " + Epoll.unavailabilityCause());
                }
                yield true;
            }
            case "nio" -> false;
            default -> Epoll.isAvailable();
        };
        IoHandlerFactory io = useEpoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = useEpoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threadPrefix + "-boss"), io);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(workerThreads, new DefaultThreadFactory(threadPrefix + "-worker"), io);
        try {
            Channel ch = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childHandler(new ServerInitializer(ctx))
                    .bind(new InetSocketAddress(host, port)).sync().channel();
            return new RouterServer(boss, workers, ch, useEpoll);
        } catch (InterruptedException | RuntimeException e) {
            boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public boolean isEpoll() {
        return epoll;
    }

    /** Closes the listening socket: new connections are refused, existing ones go on. */
    public void stopAccepting() {
        serverChannel.close().syncUninterruptibly();
    }

    /** Stops the event loops (connections still open are closed). */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        boss.terminationFuture().syncUninterruptibly();
    }
}
