package io.datastream.router.sim;

import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.ProtocolVersion;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.frame.Ack;
import io.datastream.protocol.frame.AckStatus;
import io.datastream.protocol.frame.BatchFrame;
import io.datastream.protocol.frame.Credit;
import io.datastream.protocol.frame.ErrorFrame;
import io.datastream.protocol.frame.Frame;
import io.datastream.protocol.frame.FrameDecoder;
import io.datastream.protocol.frame.FrameEncoder;
import io.datastream.protocol.frame.GoAway;
import io.datastream.protocol.frame.Heartbeat;
import io.datastream.protocol.frame.Hello;
import io.datastream.protocol.frame.Welcome;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated agent: it connects (to the configured routers in turn, or to the routers a GOAWAY
 * suggested), says HELLO, sends the batches it was given within the credit it was granted,
 * tracks ACKs, re-sends on RETRY_LATER and after a disconnect, and moves on after GOAWAY. Batches
 * are finished by ACK OK or REJECTED. All state lives on one event loop; the accessors are
 * thread-safe snapshots for tests.
 */
public final class SimAgent implements AutoCloseable {
    /** How a simulated agent behaves. */
    public record Options(String agentId, String token, List<InetSocketAddress> routers, SslContext ssl, long retryBackoffMs,
                          long reconnectBackoffMs, boolean followSuggestions) {
        public static Options of(String agentId, int... ports) {
            List<InetSocketAddress> addrs = new ArrayList<>();
            for (int p : ports) {
                addrs.add(new InetSocketAddress("127.0.0.1", p));
            }
            return new Options(agentId, "", addrs, null, 200, 100, true);
        }

        public Options withToken(String t) {
            return new Options(agentId, t, routers, ssl, retryBackoffMs, reconnectBackoffMs, followSuggestions);
        }

        public Options withSsl(SslContext s) {
            return new Options(agentId, token, routers, s, retryBackoffMs, reconnectBackoffMs, followSuggestions);
        }

        public Options withoutSuggestions() {
            return new Options(agentId, token, routers, ssl, retryBackoffMs, reconnectBackoffMs, false);
        }
    }

    private static final class Pending {
        final long id;
        final ByteBuf batch;
        int attempts;

        Pending(long id, ByteBuf batch) {
            this.id = id;
            this.batch = batch;
        }

        int cost() {
            return BatchFrame.BODY_OVERHEAD + batch.readableBytes();
        }
    }

    private final Options opts;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final AtomicLong ids = new AtomicLong();
    // event-loop state
    private final Deque<Pending> queue = new ArrayDeque<>();
    private final Map<Long, Pending> inFlight = new HashMap<>();
    private Channel channel;
    private boolean welcomed;
    private boolean goingAway;
    private long limit;
    private long sent;
    private int nextRouter;
    private List<InetSocketAddress> suggested = List.of();
    private volatile boolean closed;
    private java.util.function.Supplier<ByteBuf> source;
    private int queueTarget;
    private boolean recordOutcomes = true;
    // observations
    private final Map<Long, AckStatus> outcomes = new ConcurrentHashMap<>();
    private final Map<ErrorCode, AtomicInteger> retries = new ConcurrentHashMap<>();
    private final Map<ErrorCode, AtomicInteger> rejections = new ConcurrentHashMap<>();
    private final List<GoAway> goAways = new CopyOnWriteArrayList<>();
    private final List<ErrorFrame> errors = new CopyOnWriteArrayList<>();
    private final List<String> connectedTo = new CopyOnWriteArrayList<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final AtomicLong okBytes = new AtomicLong();
    private final AtomicLong okCount = new AtomicLong();
    private volatile long creditLimit;
    private volatile long sentBytes;
    private volatile boolean connected;
    private volatile int inFlightCount;
    private final AtomicInteger resentAfterDisconnect = new AtomicInteger();

    public SimAgent(EventLoopGroup group, Options opts) {
        this.opts = opts;
        this.loop = group.next();
        this.bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3_000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (opts.ssl() != null) {
                            ch.pipeline().addLast(opts.ssl().newHandler(ch.alloc(), "localhost", 0));
                        }
                        ch.pipeline().addLast(new IdleStateHandler(0, 1, 0, TimeUnit.SECONDS), new FrameDecoder(1 << 20), FrameEncoder.INSTANCE,
                                new Handler());
                    }
                });
    }

    /** Starts connecting. */
    public SimAgent start() {
        loop.execute(this::connect);
        return this;
    }

    /** Queues a batch (ownership passes to the agent); returns its batch id. */
    public long submit(ByteBuf batch) {
        long id = ids.incrementAndGet();
        pendingCount.incrementAndGet();
        loop.execute(() -> {
            if (closed) {
                batch.release();
                return;
            }
            queue.addLast(new Pending(id, batch));
            trySend();
        });
        return id;
    }

    private void connect() {
        if (closed) {
            return;
        }
        InetSocketAddress target;
        if (!suggested.isEmpty()) {
            target = suggested.get(0);
            suggested = suggested.subList(1, suggested.size());
        } else {
            target = opts.routers().get(Math.floorMod(nextRouter++, opts.routers().size()));
        }
        ChannelFuture f = bootstrap.connect(target);
        channel = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess()) {
                channel = null;
                scheduleReconnect();
            }
        });
    }

    private void scheduleReconnect() {
        if (!closed) {
            loop.schedule(this::connect, opts.reconnectBackoffMs(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Feeding mode: keeps {@code queueTarget} batches queued or in flight, taking new ones from
     * {@code source} (called on the agent's event loop; the agent owns and releases what it takes)
     * until it returns null. With an endless source (load generator) outcomes are only counted.
     */
    public SimAgent feed(java.util.function.Supplier<ByteBuf> source, int queueTarget) {
        loop.execute(() -> {
            this.source = source;
            this.queueTarget = queueTarget;
            this.recordOutcomes = false;
            trySend();
        });
        return this;
    }

    private void refill() {
        while (source != null && !closed && queue.size() + inFlight.size() < queueTarget) {
            ByteBuf next = source.get();
            if (next == null) {
                source = null;
                recordOutcomes = true;
                break;
            }
            queue.addLast(new Pending(ids.incrementAndGet(), next));
            pendingCount.incrementAndGet();
        }
    }

    private void trySend() {
        refill();
        if (channel == null || !welcomed || goingAway) {
            return;
        }
        boolean wrote = false;
        while (!queue.isEmpty() && channel.isWritable()) {
            Pending p = queue.peekFirst();
            if (sent + p.cost() > limit) {
                break;
            }
            queue.pollFirst();
            p.attempts++;
            sent += p.cost();
            sentBytes = sent;
            inFlight.put(p.id, p);
            inFlightCount = inFlight.size();
            channel.write(new BatchFrame(p.id, p.batch.retainedDuplicate()));
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    private void onFrame(Frame f) {
        if (f instanceof Welcome w) {
            welcomed = true;
            connected = true;
            limit = w.creditLimit();
            creditLimit = limit;
            trySend();
        } else if (f instanceof Credit c) {
            limit = Math.max(limit, c.limit());
            creditLimit = limit;
            trySend();
        } else if (f instanceof Ack a) {
            onAck(a);
        } else if (f instanceof GoAway g) {
            goAways.add(g);
            goingAway = true;
            if (opts.followSuggestions()) {
                List<InetSocketAddress> s = new ArrayList<>();
                for (String addr : g.suggestedRouters()) {
                    int colon = addr.lastIndexOf(':');
                    s.add(new InetSocketAddress(addr.substring(0, colon), Integer.parseInt(addr.substring(colon + 1))));
                }
                suggested = s;
            }
            closeIfGoneAway();
        } else if (f instanceof ErrorFrame e) {
            errors.add(e);
        }
    }

    private void onAck(Ack a) {
        Pending p = inFlight.remove(a.batchId());
        inFlightCount = inFlight.size();
        if (p == null) {
            return;
        }
        if (a.status() == AckStatus.RETRY_LATER) {
            retries.computeIfAbsent(a.error(), k -> new AtomicInteger()).incrementAndGet();
            loop.schedule(() -> requeue(List.of(p)), opts.retryBackoffMs(), TimeUnit.MILLISECONDS);
        } else {
            if (a.status() == AckStatus.REJECTED) {
                rejections.computeIfAbsent(a.error(), k -> new AtomicInteger()).incrementAndGet();
            } else {
                okBytes.addAndGet(p.batch.readableBytes());
                okCount.incrementAndGet();
            }
            if (recordOutcomes) {
                outcomes.put(p.id, a.status());
            }
            p.batch.release();
            pendingCount.decrementAndGet();
        }
        closeIfGoneAway();
        trySend();
    }

    private void requeue(List<Pending> ps) {
        if (closed) {
            ps.forEach(p -> p.batch.release());
            return;
        }
        List<Pending> sorted = new ArrayList<>(ps);
        sorted.sort(Comparator.comparingLong((Pending p) -> p.id).reversed());
        for (Pending p : sorted) {
            queue.addFirst(p);
        }
        trySend();
    }

    private void closeIfGoneAway() {
        if (goingAway && inFlight.isEmpty() && channel != null) {
            channel.close();
        }
    }

    private void onDisconnected(Channel ch) {
        if (ch != channel) {
            return;
        }
        channel = null;
        welcomed = false;
        goingAway = false;
        connected = false;
        sent = 0;
        limit = 0;
        List<Pending> lost = new ArrayList<>(inFlight.values());
        inFlight.clear();
        inFlightCount = 0;
        resentAfterDisconnect.addAndGet(lost.size());
        requeue(lost);
        scheduleReconnect();
    }

    private final class Handler extends SimpleChannelInboundHandler<Frame> {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            connectedTo.add(String.valueOf(ctx.channel().remoteAddress()));
            ctx.writeAndFlush(new Hello(ProtocolVersion.MIN_SUPPORTED, ProtocolVersion.MAX_SUPPORTED, CodecType.supportedMask(), opts.agentId(),
                    "host-" + opts.agentId(), opts.token(), "sim", Map.of()));
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame f) {
            if (ctx.channel() == channel) {
                onFrame(f);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            trySend();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent && welcomed) {
                ctx.writeAndFlush(new Heartbeat(System.currentTimeMillis()));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            onDisconnected(ctx.channel());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    // ------------------------------------------------------------------ observations

    /** Batches not yet finished (queued, in flight or waiting to be re-sent). */
    public int pending() {
        return pendingCount.get();
    }

    /** Batches acknowledged OK. */
    public long acked() {
        return okCount.get();
    }

    public Map<Long, AckStatus> outcomes() {
        return Map.copyOf(outcomes);
    }

    public int retries(ErrorCode code) {
        AtomicInteger n = retries.get(code);
        return n == null ? 0 : n.get();
    }

    public int rejections(ErrorCode code) {
        AtomicInteger n = rejections.get(code);
        return n == null ? 0 : n.get();
    }

    public Map<ErrorCode, Integer> retryCounts() {
        Map<ErrorCode, Integer> m = new EnumMap<>(ErrorCode.class);
        retries.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    public List<GoAway> goAways() {
        return List.copyOf(goAways);
    }

    public List<ErrorFrame> errors() {
        return List.copyOf(errors);
    }

    /** Remote addresses of every connection made, in order. */
    public List<String> connections() {
        return List.copyOf(connectedTo);
    }

    /** Batches sent on the current connection and not yet acknowledged. */
    public int inFlight() {
        return inFlightCount;
    }

    /** Batches that were in flight when a connection broke, and were queued again. */
    public int resentAfterDisconnect() {
        return resentAfterDisconnect.get();
    }

    public boolean isConnected() {
        return connected;
    }

    public long creditLimit() {
        return creditLimit;
    }

    public long sentBytes() {
        return sentBytes;
    }

    /** Batch bytes acknowledged OK. */
    public long okBytes() {
        return okBytes.get();
    }

    @Override
    public void close() {
        closed = true;
        loop.submit(() -> {
            if (channel != null) {
                channel.close();
            }
            queue.forEach(p -> p.batch.release());
            queue.clear();
            inFlight.values().forEach(p -> p.batch.release());
            inFlight.clear();
        }).syncUninterruptibly();
    }
}
