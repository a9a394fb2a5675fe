package io.datastream.router.source;

import io.datastream.router.channel.Channel;
import io.datastream.router.channel.ChannelConsumer;
import io.datastream.router.channel.Incarnation;
import io.datastream.router.channel.MemoryChannel;
import io.datastream.router.channel.filequeue.FileQueueChannel;
import io.datastream.router.config.HttpSourceConfig;
import io.datastream.router.config.PartitionerKind;
import io.datastream.router.credit.MemoryPool;
import io.datastream.router.event.Event;
import io.datastream.router.http.IntakeMetrics;
import io.datastream.router.kafka.PartitionStrategies;
import io.datastream.router.report.RouterReports;
import io.datastream.router.route.TopicTemplate;
import io.datastream.router.sink.DiscardSink;
import io.datastream.router.sink.FileSink;
import io.datastream.router.sink.JsonLines;
import io.datastream.router.sink.WebhookSink;
import io.datastream.router.sink.EventIdentity;
import io.datastream.router.sink.KafkaSink;
import io.datastream.router.sink.ShapingKafkaSink;
import io.datastream.router.sink.Sink;
import io.datastream.router.source.internal.HttpSourceInitializer;
import io.datastream.router.source.internal.SourceContext;
import io.netty.bootstrap.ServerBootstrap;
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
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;

/**
 * The HTTP intake of a router: the HTTP source ({@code POST /v1/events}), its channels and their
 * sinks, started and stopped together. Sources put into channels; each sink drains one channel
 * on its own thread; a request is answered 200 once its events are safe.
 *
 * <pre>
 * EventPipeline p = EventPipeline.start(cfg.httpSource(), settings);
 * int port = p.port();
 * p.close(Duration.ofSeconds(30));   // stop accepting, let the sinks drain, stop
 * </pre>
 */
public final class EventPipeline implements AutoCloseable {
    private final SourceContext context;
    private final Map<String, Channel> channels;
    private final List<Sink> sinks;
    /** The sinks' consumers by sink name, in configuration order. */
    private final Map<String, ChannelConsumer> consumers;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final io.netty.channel.Channel server;
    private final Incarnation incarnation;
    /** The topic templates of each channel's Kafka sinks. */
    private final Map<String, List<TopicTemplate<Event>>> kafkaTopics;

    /**
     * What the pipeline takes from its router.
     *
     * @param routerId        the router id (the agent id of events is {@code router:<id>})
     * @param host            the host name written into the events' batches
     * @param pool            the router's memory pool, shared by the memory channels
     * @param producer        the router's Kafka producer (envelope mode); null when no sink is a Kafka sink
     * @param strategies      the router's partitioning strategies
     * @param defaultKind     the partitioner of sinks without one ({@code kafka.partitioner})
     * @param ssl             the router's TLS context, or null
     * @param registry        the router's metrics registry
     * @param reports         the router's minute reports (events accepted, refused, written per channel task)
     */
    public record Settings(String routerId, String host, MemoryPool pool, Producer<byte[], byte[]> producer, PartitionStrategies strategies,
                           PartitionerKind defaultKind, SslContext ssl, PrometheusRegistry registry, RouterReports reports) {
    }

    private EventPipeline(SourceContext context, Map<String, Channel> channels, List<Sink> sinks, Map<String, ChannelConsumer> consumers,
                          EventLoopGroup boss, EventLoopGroup workers, io.netty.channel.Channel server, Incarnation incarnation,
                          Map<String, List<TopicTemplate<Event>>> kafkaTopics) {
        this.kafkaTopics = kafkaTopics;
        this.context = context;
        this.channels = channels;
        this.sinks = sinks;
        this.consumers = consumers;
        this.boss = boss;
        this.workers = workers;
        this.server = server;
        this.incarnation = incarnation;
    }

    /** Starts the channels, the sinks and the HTTP server of a validated, enabled configuration. */
    public static EventPipeline start(HttpSourceConfig cfg, Settings s) throws InterruptedException, IOException {
        Incarnation incarnation = Incarnation.next();
        Map<String, Channel> channels = new LinkedHashMap<>();
        Map<String, HttpSourceConfig.ChannelConfig> channelConfigs = new LinkedHashMap<>();
        try {
            for (HttpSourceConfig.ChannelConfig c : cfg.channels()) {
                channels.put(c.name(), openChannel(c, cfg, s, incarnation));
                channelConfigs.put(c.name(), c);
            }
        } catch (IOException | RuntimeException e) {
            channels.values().forEach(Channel::shutdown);
            throw e;
        }
        Map<String, ChannelConsumer> consumers = new LinkedHashMap<>();
        for (HttpSourceConfig.SinkConfig sc : cfg.sinks()) {
            consumers.put(sc.name(), channels.get(sc.channel()).consumer(sc.name()));
        }
        Map<String, String> taskOfSink = new LinkedHashMap<>();
        for (HttpSourceConfig.SinkConfig sc : cfg.sinks()) {
            taskOfSink.put(sc.name(), channelConfigs.get(sc.channel()).task());
        }
        IntakeMetrics metrics = new IntakeMetrics(s.registry(), channels, consumers, s.reports(), taskOfSink);
        Map<String, List<TopicTemplate<Event>>> dynamicTopics = new LinkedHashMap<>();
        Map<String, List<TopicTemplate<Event>>> kafkaTopics = new LinkedHashMap<>();
        List<Sink> sinks = new ArrayList<>();
        for (HttpSourceConfig.SinkConfig sc : cfg.sinks()) {
            Channel ch = channels.get(sc.channel());
            boolean agentBatches = channelConfigs.get(sc.channel()).holdsAgentBatches();
            JsonLines lines = agentBatches ? JsonLines.agentBatches() : JsonLines.events(ch.format());
            Sink sink;
            if (sc.type().equals("discard")) {
                sink = new DiscardSink(sc.name(), sc.channel(), consumers.get(sc.name()), metrics.sink(sc.name()));
            } else if (sc.type().equals("webhook")) {
                sink = new WebhookSink(sc.name(), sc.channel(), consumers.get(sc.name()), lines, java.net.URI.create(sc.url()),
                        sc.batchEvents(), sc.maxBatchBytes(), Duration.ofMillis(sc.timeoutMs()), sc.retryBackoffMs(), sc.maxRetryBackoffMs(),
                        metrics.sink(sc.name()));
            } else if (sc.type().equals("file")) {
                sink = new FileSink(sc.name(), sc.channel(), consumers.get(sc.name()), lines, Path.of(sc.dir()), sc.rollBytes(),
                        sc.rollIntervalMs(), metrics.sink(sc.name()));
            } else {
                TopicTemplate<Event> topic = sc.topicTemplate();
                kafkaTopics.computeIfAbsent(sc.channel(), k -> new ArrayList<>()).add(topic);
                if (!topic.isConstant()) {
                    dynamicTopics.computeIfAbsent(sc.channel(), k -> new ArrayList<>()).add(topic);
                }
                PartitionerKind kind = sc.partitioner() == null ? s.defaultKind() : PartitionerKind.fromConfig(sc.partitioner());
                HttpSourceConfig.ChannelConfig cc = channelConfigs.get(sc.channel());
                if (agentBatches) {
                    sinks.add(KafkaSink.forAgentBatches(sc.name(), sc.channel(), consumers.get(sc.name()), s.producer(), topic,
                            s.strategies().get(kind), metrics.sink(sc.name())).start());
                    continue;
                }
                EventIdentity.Sources sources = new EventIdentity.Sources(s.routerId(), sc.channel(), cc.task(), s.host());
                if (cc.shape() != null) {
                    // by source: a (group, topic)'s batches in one partition, in order (a replayed, unshaped copy
                    // of an event then always comes after its shaped copy: see ShapingKafkaSink)
                    kind = PartitionerKind.SOURCE;
                    HttpSourceConfig.ShapeConfig sh = cc.shape();
                    // a file channel's events up to its end at open may have been written by the previous start
                    sink = new ShapingKafkaSink(sc.name(), sc.channel(), consumers.get(sc.name()), ch.format(), s.producer(), topic,
                            s.strategies().get(kind), sources, sc.codecType(), new ShapingKafkaSink.Shape(sh.groupBy(), sh.targetBytes(),
                            sh.maxDelayMs(), sh.maxBufferedBytes(), cfg.limits().maxEventBytes()), ch.endPosition(), metrics.sink(sc.name()));
                } else {
                    sink = new KafkaSink(sc.name(), sc.channel(), consumers.get(sc.name()), ch.format(), s.producer(), topic,
                            s.strategies().get(kind), sources, sc.codecType(), sc.maxBatchBytes(), metrics.sink(sc.name()));
                }
            }
            sinks.add(sink.start());
        }
        SourceContext context = new SourceContext(cfg, channels, dynamicTopics, metrics, s.ssl(), s.reports());
        io.prometheus.metrics.core.metrics.GaugeWithCallback.builder().name("ds_router_http_body_bytes_in_flight")
                .help("decompressed request body bytes being read or waiting to be parsed, across connections (httpSource.limits.maxInFlightBodyBytes)")
                .callback(cb -> cb.call(context.bodyBytesInFlight())).register(s.registry());
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        String prefix = "ds-router-" + s.routerId() + "-events";
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(prefix + "-boss"), io);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(cfg.workerThreads(), new DefaultThreadFactory(prefix + "-worker"), io);
        try {
            io.netty.channel.Channel server = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(type)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new HttpSourceInitializer(context))
                    .bind(new InetSocketAddress(cfg.host(), cfg.port())).sync().channel();
            return new EventPipeline(context, channels, sinks, consumers, boss, workers, server, incarnation, kafkaTopics);
        } catch (InterruptedException | RuntimeException e) {
            boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            for (Sink sink : sinks) {
                sink.close();
            }
            channels.values().forEach(Channel::shutdown);
            throw e;
        }
    }

    private static Channel openChannel(HttpSourceConfig.ChannelConfig c, HttpSourceConfig cfg, Settings s, Incarnation incarnation)
            throws IOException {
        if (!c.isFile()) {
            return new MemoryChannel(c.name(), c.eventFormat(), c.capacityBytes(), s.pool(), incarnation);
        }
        List<FileQueueChannel.ConsumerSpec> consumers = new ArrayList<>();
        for (HttpSourceConfig.SinkConfig sc : cfg.sinks()) {
            if (sc.channel().equals(c.name())) {
                consumers.add(new FileQueueChannel.ConsumerSpec(sc.name(), sc.bestEffort()));
            }
        }
        FileQueueChannel.Settings fs = new FileQueueChannel.Settings(Path.of(c.dir()), c.capacityBytes(), c.segmentBytes(), c.fsyncPolicy(),
                c.fsyncIntervalMs(), 1000);
        // recorded as configured: agent batches are stored as BINARY entries but are not HTTP binary events
        String contents = c.holdsAgentBatches() ? HttpSourceConfig.AGENT_BATCHES : c.eventFormat().configName();
        return FileQueueChannel.open(c.name(), c.eventFormat(), contents, fs, incarnation, consumers);
    }

    /** The bound port. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** This start's incarnation (part of every event's identity). */
    public Incarnation incarnation() {
        return incarnation;
    }

    /** The topic templates of the Kafka sinks of {@code channel} (empty when it has none). */
    public List<TopicTemplate<Event>> kafkaTopics(String channel) {
        return kafkaTopics.getOrDefault(channel, List.of());
    }

    /** The channels by name. */
    public Map<String, Channel> channels() {
        return channels;
    }

    /**
     * What the router's health says about the channels: the repairs file channels made when they
     * opened (torn tails cut off, unreadable segments deleted, positions moved), and a file channel
     * that cannot create segment files now, or "".
     */
    public String healthNotes() {
        StringBuilder b = new StringBuilder();
        for (Channel c : channels.values()) {
            long n = 0;
            for (io.datastream.router.channel.ChannelRepair r : io.datastream.router.channel.ChannelRepair.values()) {
                n += c.repairs(r);
            }
            if (n > 0) {
                b.append(b.length() == 0 ? "" : "; ").append("channel ").append(c.name()).append(": ").append(n)
                        .append(" repairs on open (").append(c.repairedBytes()).append(" bytes; see the log)");
            }
            if (c.cannotCreateSegments()) {
                b.append(b.length() == 0 ? "" : "; ").append("channel ").append(c.name())
                        .append(": cannot create a segment file (disk full?), answering 429");
            }
        }
        return b.toString();
    }

    /**
     * The state of every channel and sink, one line each, for {@code /health}:
     * <pre>
     * channel events: used 1234 of 67108864 bytes (0.0%), end position 98765, 120 events put
     * sink kafka-events (channel events): position 98000, lag 12 events, 765 bytes
     * </pre>
     * File channels add their repairs and segment failures, best-effort sinks their drops.
     */
    public String healthDetails() {
        StringBuilder b = new StringBuilder();
        for (Channel c : channels.values()) {
            long used = c.usedBytes();
            long cap = c.capacityBytes();
            b.append("channel ").append(c.name()).append(": used ").append(used).append(" of ").append(cap).append(" bytes (")
                    .append(String.format(java.util.Locale.ROOT, "%.1f", cap == 0 ? 0.0 : 100.0 * used / cap)).append("%), end position ")
                    .append(c.endPosition()).append(", ").append(c.putEvents()).append(" events put");
            if (c.segmentFailures() > 0) {
                b.append(", ").append(c.segmentFailures()).append(" segment files not allocated");
            }
            b.append('\n');
        }
        for (Sink sink : sinks) {
            ChannelConsumer c = consumers.get(sink.name());
            b.append("sink ").append(sink.name()).append(" (channel ").append(sink.channel()).append("): position ").append(c.committedPosition())
                    .append(", lag ").append(c.lagEvents()).append(" events, ").append(c.lagBytes()).append(" bytes");
            if (c.droppedEvents() > 0) {
                b.append(", ").append(c.droppedEvents()).append(" events dropped (best effort)");
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** HTTP connections open now. */
    public int connectionCount() {
        return context.connectionCount();
    }

    /** Stops accepting connections and answers new requests 503; requests in flight still finish. */
    public void stopAccepting() {
        context.closing();
        server.close().syncUninterruptibly();
        channels.values().forEach(Channel::close);
    }

    /**
     * Stops: no new requests, then waits up to {@code timeout} for the sinks to finish what the
     * channels hold, then stops the sinks and closes the connections.
     */
    public void close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        stopAccepting();
        for (Sink sink : sinks) {
            sink.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        channels.values().forEach(Channel::shutdown);
        // the event loops' shutdown deregisters channels without closing their sockets: close them first
        context.closeConnections(2_000);
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
