package io.datastream.router.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.datastream.router.server.Connections;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * GET /metrics, GET /health and GET /connections (the agent connections, read-only; see
 * {@link ConnectionList}) on a small Netty server of its own (one event-loop thread), so a
 * client that connects and sends nothing, or one byte at a time, blocks nobody: requests are
 * read without blocking, a connection that has not sent a whole request within
 * {@value #READ_TIMEOUT_SECONDS} s is closed, and a request over 8 KiB is refused. Probes and
 * scrapers therefore always get an answer while the router lives.
 */
public final class HttpEndpoint implements AutoCloseable {
    static final int READ_TIMEOUT_SECONDS = 10;
    private static final int MAX_REQUEST_BYTES = 8 << 10;

    private final EventLoopGroup group;
    private final Channel server;

    private HttpEndpoint(EventLoopGroup group, Channel server) {
        this.group = group;
        this.server = server;
    }

    public static HttpEndpoint start(String host, int port, PrometheusRegistry registry, Health health, String threadName) throws IOException {
        return start(host, port, registry, health, null, threadName);
    }

    /** @param connections the router's agent connections for {@code /connections}, or null to answer it 404 */
    public static HttpEndpoint start(String host, int port, PrometheusRegistry registry, Health health, Connections connections,
                                     String threadName) throws IOException {
        ConnectionList list = connections == null ? null : new ConnectionList(connections);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        }, NioIoHandler.newFactory());
        try {
            Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 64)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(new ReadTimeoutHandler(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS),
                                    new HttpServerCodec(4096, MAX_REQUEST_BYTES, MAX_REQUEST_BYTES),
                                    new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                    new Handler(registry, health, list));
                        }
                    })
                    .bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
            return new HttpEndpoint(group, ch);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Answers one request per exchange; every answer ends the connection's read timeout anew. */
    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final PrometheusRegistry registry;
        private final Health health;
        private final ConnectionList connections;
        private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

        Handler(PrometheusRegistry registry, Health health, ConnectionList connections) {
            this.registry = registry;
            this.health = health;
            this.connections = connections;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws IOException {
            if (!req.decoderResult().isSuccess()) {
                respond(ctx, req, HttpResponseStatus.BAD_REQUEST, "text/plain; charset=utf-8", "bad request\n", false);
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            String path = req.uri();
            int q = path.indexOf('?');
            path = q < 0 ? path : path.substring(0, q);
            boolean listing = path.equals("/connections") && connections != null;
            if (!path.equals("/metrics") && !path.equals("/health") && !listing) {
                respond(ctx, req, HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8",
                        "not found: try /health, /metrics or /connections\n", keepAlive);
                return;
            }
            if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
                respond(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", "use GET\n", keepAlive);
                return;
            }
            if (listing) {
                // answered when every connection's event loop has told its state; the HTTP thread does not wait
                boolean head = req.method().equals(HttpMethod.HEAD);
                connections.read().whenComplete((body, failure) -> ctx.executor().execute(() -> {
                    if (failure != null) {
                        respond(ctx, head, HttpResponseStatus.INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8",
                                "cannot list connections\n".getBytes(StandardCharsets.UTF_8), keepAlive);
                    } else {
                        respond(ctx, head, HttpResponseStatus.OK, "application/json", body, keepAlive);
                    }
                }));
                return;
            }
            if (path.equals("/health")) {
                Health.Status s = health.check();
                respond(ctx, req, s.healthy() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "text/plain; charset=utf-8", s.text() + "\n", keepAlive);
                return;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
            writer.write(out, registry.scrape());
            respond(ctx, req, HttpResponseStatus.OK, writer.getContentType(), out.toByteArray(), keepAlive);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // read timeouts, resets, requests over the limit: nothing to answer
            ctx.close();
        }

        private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String type,
                                    String body, boolean keepAlive) {
            respond(ctx, req, status, type, body.getBytes(StandardCharsets.UTF_8), keepAlive);
        }

        private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String type,
                                    byte[] body, boolean keepAlive) {
            respond(ctx, req.method().equals(HttpMethod.HEAD), status, type, body, keepAlive);
        }

        private static void respond(ChannelHandlerContext ctx, boolean head, HttpResponseStatus status, String type,
                                    byte[] body, boolean keepAlive) {
            ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            if (!keepAlive) {
                res.headers().set(HttpHeaderNames.CONNECTION, "close");
            }
            var f = ctx.writeAndFlush(res);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    /** The bound port. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
