package io.datastream.router.source.internal;

import io.datastream.router.channel.Channel;
import io.datastream.router.channel.PutResult;
import io.datastream.router.channel.SafeListener;
import io.datastream.router.channel.StoredEvent;
import io.datastream.router.event.ClientEventIds;
import io.datastream.router.event.Event;
import io.datastream.router.event.EventFormat;
import io.datastream.router.report.RouterReports;
import io.datastream.router.route.TopicTemplate;
import io.datastream.router.route.Topics;
import io.datastream.router.source.Refusal;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Handles one whole request at a time per connection: parse, route each event to its channel,
 * check the client's grant, reserve room in every channel (all or nothing), put, and answer 200
 * once every channel says the events are safe, or refuse the request whole. While a request is
 * being handled the connection is not read (back-pressure per connection); pipelined requests
 * that were already read wait here, in order.
 */
final class EventsHandler extends ChannelInboundHandlerAdapter {
    private static final int MAX_PIPELINED = 16;

    private final SourceContext ctx;
    private final ConnectionState state;
    private final ArrayDeque<FullHttpRequest> queued = new ArrayDeque<>();

    EventsHandler(SourceContext ctx, ConnectionState state) {
        this.ctx = ctx;
        this.state = state;
    }

    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (state.busy) {
            if (queued.size() >= MAX_PIPELINED) {
                req.release();
                c.close();
                return;
            }
            queued.add(req);
            c.channel().config().setAutoRead(false);
            return;
        }
        handle(c, req);
    }

    private void handle(ChannelHandlerContext c, FullHttpRequest req) {
        state.busy = true;
        c.channel().config().setAutoRead(false);
        Tokens.Grant grant = state.grants.poll();
        Long held = state.bodyBytes.poll();
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        try {
            accept(c, req, grant == null ? Tokens.Grant.LOCAL : grant, keepAlive);
        } finally {
            req.release();
            if (held != null) {
                ctx.bodies.release(held);
            }
        }
    }

    private void accept(ChannelHandlerContext c, FullHttpRequest req, Tokens.Grant grant, boolean keepAlive) {
        if (ctx.isClosing()) {
            refuse(c, keepAlive, Refusal.SHUTTING_DOWN, "the router is shutting down", -1);
            return;
        }
        String type = RequestGate.mimeType(req);
        ParsedRequest parsed;
        if ("text/plain".equals(type)) {
            int q = req.uri().indexOf('?');
            parsed = ctx.parser.text(req.content(), q < 0 ? null : req.uri().substring(q + 1));
        } else {
            parsed = ctx.parser.json(req.content());
        }
        if (!parsed.isOk()) {
            refuse(c, keepAlive, parsed.refusal(), parsed.message(), parsed.index());
            return;
        }
        List<Event> events = parsed.events();
        Map<Channel, List<StoredEvent>> byChannel = new LinkedHashMap<>();
        Map<Channel, long[]> costs = new LinkedHashMap<>();
        Set<String> ids = null;
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            if (e.header(ClientEventIds.CLIENT) != null) {
                refuse(c, keepAlive, Refusal.BAD_EVENT, "event " + i + ": header " + ClientEventIds.CLIENT
                        + " is set by the router, not by clients", i);
                return;
            }
            String id = e.header(ClientEventIds.EVENT_ID);
            if (id != null) {
                String problem = ClientEventIds.problem(id);
                if (ids == null) {
                    ids = new HashSet<>();
                }
                if (problem == null && !ids.add(id)) {
                    problem = "header " + ClientEventIds.EVENT_ID + " '" + RequestParser.clip(id)
                            + "' appears on two events of the request (the second would be dropped as a re-send)";
                }
                if (problem != null) {
                    refuse(c, keepAlive, Refusal.BAD_EVENT, "event " + i + ": " + problem, i);
                    return;
                }
                e = ClientEventIds.withClient(e, grant.client());
            }
            String name = ctx.routing.channelOf(e);
            if (name == null) {
                refuse(c, keepAlive, Refusal.NO_ROUTE, "event " + i + ": no route matches its headers and there is no default channel", i);
                return;
            }
            if (!grant.allows(name)) {
                refuse(c, keepAlive, Refusal.FORBIDDEN, "event " + i + ": this token may not write channel '" + name + "'", i);
                return;
            }
            for (TopicTemplate<Event> t : ctx.dynamicTopics.getOrDefault(name, List.of())) {
                String topic = t.expand(e);
                if (!Topics.isValid(topic)) {
                    refuse(c, keepAlive, Refusal.BAD_EVENT, "event " + i + ": its headers give the topic '" + RequestParser.clip(topic)
                            + "' (template " + t + "), not a valid Kafka topic name (" + Topics.RULE + ")", i);
                    return;
                }
            }
            byte[] line = EventFormat.JSON.serializer().serialize(e);
            if (line.length > ctx.limits.maxEventBytes()) {
                refuse(c, keepAlive, Refusal.BAD_EVENT, "event " + i + " is " + line.length + " bytes as JSON, over the limit of "
                        + ctx.limits.maxEventBytes(), i);
                return;
            }
            Channel ch = ctx.channels.get(name);
            StoredEvent stored = ch.format() == EventFormat.JSON ? new StoredEvent(line, line.length)
                    : new StoredEvent(ch.format().serializer().serialize(e), line.length);
            byChannel.computeIfAbsent(ch, k -> new ArrayList<>()).add(stored);
            costs.computeIfAbsent(ch, k -> new long[1])[0] += stored.cost();
        }
        Routed routed = routed(byChannel);
        List<Channel> reserved = new ArrayList<>(costs.size());
        for (Map.Entry<Channel, long[]> cost : costs.entrySet()) {
            PutResult r = cost.getKey().reserve(cost.getValue()[0]);
            if (r != PutResult.OK) {
                for (Channel ch : reserved) {
                    ch.unreserve(costs.get(ch)[0]);
                }
                routed.refused(r == PutResult.FULL ? Refusal.CHANNEL_FULL : Refusal.SHUTTING_DOWN);
                if (r == PutResult.FULL) {
                    refuse(c, keepAlive, Refusal.CHANNEL_FULL, "channel '" + cost.getKey().name() + "' is full; retry later", -1);
                } else {
                    refuse(c, keepAlive, Refusal.SHUTTING_DOWN, "channel '" + cost.getKey().name() + "' is closed", -1);
                }
                return;
            }
            reserved.add(cost.getKey());
        }
        Pending pending = new Pending(c, keepAlive, events.size(), byChannel.size(), routed);
        for (Map.Entry<Channel, List<StoredEvent>> put : byChannel.entrySet()) {
            put.getKey().put(put.getValue(), costs.get(put.getKey())[0], pending);
        }
    }

    /** The routed events of a request per channel task, and the minute they are counted in (minute reports). */
    private record Routed(RouterReports reports, long minute, Map<String, Long> byTask) {
        void accepted() {
            byTask.forEach((task, n) -> reports.eventsAccepted(task, minute, n));
        }

        void refused(Refusal r) {
            byTask.forEach((task, n) -> reports.eventsRefused(task, minute, n, r.label()));
        }
    }

    private Routed routed(Map<Channel, List<StoredEvent>> byChannel) {
        if (!ctx.reports.on()) {
            return new Routed(ctx.reports, 0, Map.of());
        }
        Map<String, Long> byTask = new LinkedHashMap<>();
        for (Map.Entry<Channel, List<StoredEvent>> e : byChannel.entrySet()) {
            byTask.merge(ctx.taskOfChannel.get(e.getKey().name()), (long) e.getValue().size(), Long::sum);
        }
        return new Routed(ctx.reports, ctx.reports.nowMinute(), byTask);
    }

    /** A request whose events are in channels, waiting to be safe in all of them (or for the ack timeout). */
    private final class Pending implements SafeListener {
        private final ChannelHandlerContext c;
        private final boolean keepAlive;
        private final int events;
        private final AtomicInteger remaining;
        private final AtomicBoolean answered = new AtomicBoolean();
        private final ScheduledFuture<?> timeout;
        private final Routed routed;

        Pending(ChannelHandlerContext c, boolean keepAlive, int events, int channels, Routed routed) {
            this.c = c;
            this.routed = routed;
            this.keepAlive = keepAlive;
            this.events = events;
            this.remaining = new AtomicInteger(channels);
            this.timeout = c.executor().schedule(this::timedOut, ctx.limits.ackTimeoutMs(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void safe() {
            if (remaining.decrementAndGet() == 0 && answered.compareAndSet(false, true)) {
                timeout.cancel(false);
                c.executor().execute(() -> {
                    ctx.metrics.accepted(events);
                    routed.accepted();
                    respond(c, keepAlive, Responses.accepted(c.alloc(), events));
                });
            }
        }

        @Override
        public void notStored() {
            if (answered.compareAndSet(false, true)) {
                timeout.cancel(false);
                routed.refused(Refusal.CHANNEL_FULL);
                c.executor().execute(() -> refuse(c, keepAlive, Refusal.CHANNEL_FULL, "a channel could not store the events (no room on "
                        + "its disk); retry later (events of this request stored before may be delivered, so a retry may duplicate them)", -1));
            }
        }

        private void timedOut() {
            if (answered.compareAndSet(false, true)) {
                routed.refused(Refusal.NOT_SAFE_IN_TIME);
                refuse(c, keepAlive, Refusal.NOT_SAFE_IN_TIME, "the events were not safe within " + ctx.limits.ackTimeoutMs()
                        + " ms; they may still be delivered, so a retry may duplicate them", -1);
            }
        }
    }

    private void refuse(ChannelHandlerContext c, boolean keepAlive, Refusal r, String message, int index) {
        ctx.metrics.refused(r);
        respond(c, keepAlive, Responses.refused(c.alloc(), r, message, index, ctx.limits.retryAfterSeconds()));
    }

    /** Writes the answer (on the event loop), then handles the next queued request or reads again. */
    private void respond(ChannelHandlerContext c, boolean keepAlive, FullHttpResponse res) {
        ctx.metrics.answered(res.status().code());
        HttpUtil.setKeepAlive(res, keepAlive);
        state.busy = false;
        if (!c.channel().isActive()) {
            res.release();
            return;
        }
        if (!keepAlive) {
            c.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        c.writeAndFlush(res);
        FullHttpRequest next = queued.poll();
        if (next != null) {
            handle(c, next);
        } else {
            c.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
        DecompressionException d = find(cause);
        if (d != null && c.channel().isActive()) {
            boolean bomb = String.valueOf(d.getMessage()).contains("maximum");
            Refusal r = bomb ? Refusal.BODY_TOO_LARGE : Refusal.MALFORMED;
            String message = bomb ? "the decompressed request body is over " + ctx.limits.maxDecompressedBytes() + " bytes"
                    : "the body does not decompress with its Content-Encoding";
            ctx.metrics.refused(r);
            respond(c, false, Responses.refused(c.alloc(), r, message, -1, ctx.limits.retryAfterSeconds()));
            return;
        }
        if (!(cause instanceof IOException)) {
            ctx.metrics.refused(Refusal.MALFORMED);
        }
        c.close();
    }

    private static DecompressionException find(Throwable t) {
        for (int i = 0; t != null && i < 8; i++, t = t.getCause()) {
            if (t instanceof DecompressionException d) {
                return d;
            }
        }
        return null;
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) throws Exception {
        FullHttpRequest r;
        while ((r = queued.poll()) != null) {
            r.release();
        }
        super.channelInactive(c);
    }
}
