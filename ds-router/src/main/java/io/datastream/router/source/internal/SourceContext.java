package io.datastream.router.source.internal;

import io.datastream.router.channel.Channel;
import io.datastream.router.config.HttpSourceConfig;
import io.datastream.router.config.HttpSourceLimitsConfig;
import io.datastream.router.event.Event;
import io.datastream.router.http.IntakeMetrics;
import io.datastream.router.report.RouterReports;
import io.datastream.router.route.TopicTemplate;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every connection of the HTTP source shares: limits, parser, routing, tokens, channels and
 * metrics. Immutable apart from the connection count and the closing flag.
 */
public final class SourceContext {
    final HttpSourceLimitsConfig limits;
    final RequestParser parser;
    final EventRouting routing;
    final Tokens tokens;
    final Map<String, Channel> channels;
    /** Per channel, the topic templates of its Kafka sinks that depend on headers (checked per event at intake). */
    final Map<String, List<TopicTemplate<Event>>> dynamicTopics;
    final IntakeMetrics metrics;
    /** The router's minute reports; events are counted under their channel's task. */
    final RouterReports reports;
    /** The task of each channel's events, by channel name. */
    final Map<String, String> taskOfChannel;
    final SslContext ssl;
    final AtomicInteger connections = new AtomicInteger();
    /** Decompressed body bytes of requests being read or waiting to be parsed, across connections. */
    final BodyBudget bodies;
    /** Every open connection (a closed one leaves by itself), so that stopping closes them all. */
    final ChannelGroup open = new DefaultChannelGroup("ds-router-http-source", GlobalEventExecutor.INSTANCE);
    private volatile boolean closing;

    public SourceContext(HttpSourceConfig cfg, Map<String, Channel> channels, Map<String, List<TopicTemplate<Event>>> dynamicTopics,
                         IntakeMetrics metrics, SslContext ssl) {
        this(cfg, channels, dynamicTopics, metrics, ssl, RouterReports.off());
    }

    public SourceContext(HttpSourceConfig cfg, Map<String, Channel> channels, Map<String, List<TopicTemplate<Event>>> dynamicTopics,
                         IntakeMetrics metrics, SslContext ssl, RouterReports reports) {
        this.reports = reports;
        java.util.Map<String, String> tasks = new java.util.HashMap<>();
        for (HttpSourceConfig.ChannelConfig c : cfg.channels()) {
            tasks.put(c.name(), c.task());
        }
        this.taskOfChannel = Map.copyOf(tasks);
        this.limits = cfg.limits();
        this.parser = new RequestParser(cfg.limits());
        this.routing = EventRouting.compile(cfg);
        this.tokens = new Tokens(cfg.tokens());
        this.channels = Map.copyOf(channels);
        this.dynamicTopics = Map.copyOf(dynamicTopics);
        this.metrics = metrics;
        this.ssl = ssl;
        this.bodies = new BodyBudget(cfg.limits().maxInFlightBodyBytes());
    }

    /** Decompressed body bytes of requests being read or waiting to be parsed, across connections. */
    public long bodyBytesInFlight() {
        return bodies.used();
    }

    /** From now on, requests are refused with 503 (the router is shutting down). */
    public void closing() {
        closing = true;
    }

    boolean isClosing() {
        return closing;
    }

    /** Closes every open connection and waits up to {@code millis} for it. */
    public void closeConnections(long millis) {
        open.close().awaitUninterruptibly(millis);
    }

    public int connectionCount() {
        return connections.get();
    }
}
