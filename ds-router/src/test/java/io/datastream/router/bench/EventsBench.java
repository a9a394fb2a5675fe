package io.datastream.router.bench;

import io.datastream.router.Router;
import io.datastream.router.RouterConfig;
import io.datastream.router.sim.Http;
import io.datastream.embedded.kafka.EmbeddedKafka;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;

/**
 * The server side of the HTTP source benchmark (numbers, not a test); the load comes from
 * {@code wrk} (docs/benchmarks.md). Modes:
 * <ul>
 *   <li>{@code discard}: a router whose HTTP source feeds a memory channel drained by a discarding sink;</li>
 *   <li>{@code kafka}: the same with the default Kafka sink into an in-process KRaft broker (topic ds-events);</li>
 *   <li>{@code baseline}: a bare Netty HTTP/1.1 server answering 200 to every request with the same
 *       event loop count: the ceiling of HTTP on this machine with this client, measured in the same run.</li>
 * </ul>
 * Runs until killed (SIGTERM), then prints the source's counters.
 */
public final class EventsBench {
    private EventsBench() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "discard";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 17102;
        int workers = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        CountDownLatch stop = new CountDownLatch(1);
        if (mode.equals("baseline")) {
            baseline(port, workers, stop);
            return;
        }
        EmbeddedKafka kafka = null;
        String bootstrap = "127.0.0.1:1";
        if (mode.equals("kafka")) {
            kafka = EmbeddedKafka.builder().logDir(Files.createTempDirectory("events-bench-kafka")).build().start();
            kafka.createTopic("ds-events", 4);
            bootstrap = kafka.bootstrapServers();
        }
        String sink = mode.equals("kafka") ? "{name: kafka-events, channel: events, partitioner: round-robin}"
                : "{name: discard, channel: events, type: discard}";
        Router router = Router.start(RouterConfig.fromYaml("""
                id: events-bench
                listen: {host: 127.0.0.1, port: 0}
                http: {host: 127.0.0.1, port: 0}
                drain: {timeoutMs: 2000}
                kafka: {bootstrapServers: "%s", properties: {linger.ms: "5"}}
                httpSource:
                  enabled: true
                  port: %d
                  workerThreads: %d
                  sinks: [%s]
                """.formatted(bootstrap, port, workers, sink)));
        EmbeddedKafka k = kafka;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (String line : Http.get(router.httpPort(), "/metrics").body().split("\n")) {
                if (line.startsWith("ds_router_http_") || line.startsWith("ds_router_sink_events_total")
                        || line.startsWith("ds_router_sink_batches_total") || line.startsWith("ds_router_sink_failures")) {
                    System.out.println(line);
                }
            }
            router.close();
            if (k != null) {
                k.close();
            }
        }));
        System.out.println("ready: " + mode + " on 127.0.0.1:" + router.eventsPort());
        stop.await();
    }

    private static void baseline(int port, int workers, CountDownLatch stop) throws InterruptedException {
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(workers, EpollIoHandler.newFactory());
        byte[] ok = "{\"accepted\":1}\n".getBytes(StandardCharsets.UTF_8);
        new ServerBootstrap().group(boss, group).channel(EpollServerSocketChannel.class).option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                                                Unpooled.wrappedBuffer(ok));
                                        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                                        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, ok.length);
                                        HttpUtil.setKeepAlive(res, HttpUtil.isKeepAlive(req));
                                        ctx.writeAndFlush(res);
                                    }
                                });
                    }
                }).bind("127.0.0.1", port).sync();
        System.out.println("ready: baseline on 127.0.0.1:" + port);
        stop.await();
    }
}
