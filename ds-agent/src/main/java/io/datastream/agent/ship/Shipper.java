package io.datastream.agent.ship;

import io.datastream.agent.AgentConfig;
import io.datastream.agent.batch.BatchOutlet;
import io.datastream.agent.batch.BatchOutcomes;
import io.datastream.agent.batch.OutBatch;
import io.datastream.agent.batch.SendWindow;
import io.datastream.agent.checkpoint.AckedOffset;
import io.datastream.agent.checkpoint.Progress;
import io.datastream.agent.ledger.LedgerOut;
import io.datastream.agent.ledger.LedgerSnapshot;
import io.datastream.agent.ledger.StreamLedger;
import io.datastream.agent.tail.TaskParker;
import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.ProtocolVersion;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.frame.Ack;
import io.datastream.protocol.frame.AckStatus;
import io.datastream.protocol.frame.BatchFrame;
import io.datastream.protocol.frame.Credit;
import io.datastream.protocol.frame.ErrorFrame;
import io.datastream.protocol.frame.GoAway;
import io.datastream.protocol.frame.Heartbeat;
import io.datastream.protocol.frame.Hello;
import io.datastream.protocol.frame.Welcome;
import io.datastream.registry.member.RouterInfo;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shipper: one router connection on one Netty event loop, which is the only thread that
 * touches its state. It owns the connection (router choice, handshake, credit, heartbeats,
 * GOAWAY draining, timeouts, reconnects with backoff and jitter) and writes what the {@link
 * StreamLedger} says to send next, within the router's credit and while the channel is
 * writable. Everything about batches and streams (what is queued, in flight, acknowledged,
 * parked or sent back to be read again) is the ledger's: the shipper tells it each router
 * answer. ACK OK advances the stream's acknowledged offset contiguously; RETRY_LATER, a
 * disconnect, an ack timeout or a GOAWAY make it reconnect and send the unacknowledged batches
 * again, same bytes; REJECTED parks the task and the tailer rewinds to the first dropped offset.
 */
public final class Shipper implements BatchOutlet, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Shipper.class);
    /** Frames from a router are small control frames. */
    private static final int MAX_FRAME = 1 << 20;
    private static final String VERSION = Shipper.class.getPackage().getImplementationVersion() == null
            ? "dev" : Shipper.class.getPackage().getImplementationVersion();

    private enum State { IDLE, CONNECTING, HANDSHAKE, ACTIVE, CLOSED }

    private final AgentConfig config;
    private final SendWindow window;
    private final TaskParker parker;
    private final LongSupplier clock;
    private final EventLoopGroup group;
    private final EventLoop loop;
    /** Netty's native epoll transport where it loads (Linux), else NIO: same bytes, fewer Java steps per wake-up. */
    private final Class<? extends SocketChannel> channelType;
    private final RouterPicker picker;
    private final Backoff backoff;
    private final SslContext ssl;
    /** The last reason a connection failed or was refused, cleared by a WELCOME; read by other threads. */
    private volatile String connectionError;

    // ---- event-loop state
    /** Every batch and stream between the tailer and Kafka. */
    private final StreamLedger ledger = new StreamLedger(this::onLedgerOut);
    private volatile BatchOutcomes outcomes = BatchOutcomes.NONE;
    private volatile Consumer<Progress<AckedOffset>> progress = p -> { };
    private State state = State.IDLE;
    private Channel channel;
    private RouterAddress router;
    private long creditLimit;
    private long sentBytes;
    private int maxBatchBytes;
    private int codecMask;
    private long heartbeatMs = 5_000;
    private boolean draining;
    private long drainDeadline;
    private long lastWrite;
    private long lastRead;
    private long connections;
    private boolean closing;
    private boolean tlsFailureSeen;
    private CompletableFuture<Void> drained;

    /**
     * @param registered routers from ZooKeeper (empty list when ZooKeeper is off)
     */
    public Shipper(AgentConfig config, SendWindow window, TaskParker parker, Supplier<List<RouterInfo>> registered, LongSupplier clockMillis) {
        this(config, window, parker, registered, clockMillis, tlsContext(config.tls()));
    }

    /**
     * @param ssl the TLS context from {@link #tlsContext}, or null for plain TCP
     */
    public Shipper(AgentConfig config, SendWindow window, TaskParker parker, Supplier<List<RouterInfo>> registered, LongSupplier clockMillis,
                   SslContext ssl) {
        this.ssl = ssl;
        this.config = config;
        this.window = window;
        this.parker = parker;
        this.clock = clockMillis;
        boolean epoll = Epoll.isAvailable();
        this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("ds-agent-shipper", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.loop = group.next();
        List<RouterAddress> fixed = new ArrayList<>();
        for (String r : config.routers()) {
            fixed.add(RouterAddress.parse(r));
        }
        Random random = new Random();
        this.picker = new RouterPicker(fixed, registered, random);
        this.backoff = new Backoff(config.send().backoffInitialMs(), config.send().backoffMaxMs(), random::nextDouble);
    }

    /**
     * The TLS client context of {@code tls.*}, or null when TLS is off.
     *
     * @throws io.datastream.agent.config.ConfigException naming the key of a file that cannot be read
     */
    public static SslContext tlsContext(AgentConfig.TlsOptions tls) {
        return RouterTls.context(tls);
    }

    /** Why the last connection to a router failed or was refused (one line), or null since the last successful handshake. */
    public String connectionError() {
        return connectionError;
    }

    public void start() {
        loop.execute(this::connect);
        loop.scheduleAtFixedRate(this::tick, 200, 200, TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------ batches in

    @Override
    public void submit(OutBatch batch) {
        submitAll(java.util.List.of(batch));
    }

    /** The batches a tailer round finished, in one event-loop task: one wake-up and one flush for all. */
    @Override
    public void submitAll(java.util.List<OutBatch> batches) {
        OutBatch[] all = batches.toArray(new OutBatch[0]);
        try {
            loop.execute(() -> accept(all));
        } catch (RuntimeException e) {
            for (OutBatch b : all) { // shut down: not acknowledged, so read again after a restart
                outcomes.discarded(b);
                b.release();
                window.give(b.size());
            }
        }
    }

    private void accept(OutBatch[] all) {
        boolean send = false;
        for (OutBatch b : all) {
            if (closing) {
                ledger.refuse(b);
            } else {
                send |= ledger.submit(b);
            }
        }
        if (send) {
            pump();
        }
    }

    /** What the ledger says: a batch's end (freed here), or an order for the tailer. */
    private void onLedgerOut(LedgerOut o) {
        if (o instanceof LedgerOut.Acked a) {
            outcomes.acked(a.batch());
            free(a.batch());
        } else if (o instanceof LedgerOut.Discarded d) {
            drop(d.batch());
        } else if (o instanceof LedgerOut.Rewind r) {
            parker.rewind(r.taskId(), r.offsets());
        } else if (o instanceof LedgerOut.Park p) {
            parker.park(p.taskId(), p.epoch(), p.rewind(), p.error());
        }
    }

    private void drop(OutBatch b) {
        outcomes.discarded(b);
        free(b);
    }

    private void free(OutBatch b) {
        b.release();
        window.give(b.size());
    }

    /**
     * The agent's tasks now: the ledger forgets the others (counters, parked epoch, rewinds) once
     * their last batch is done. Their batches still go out.
     */
    public void tasks(Set<String> taskIds) {
        Set<String> live = Set.copyOf(taskIds);
        try {
            loop.execute(() -> ledger.retainTasks(live));
        } catch (RuntimeException e) {
            LOG.debug("shipper stopped; task change ignored");
        }
    }

    /** Who is told how each batch ends (the minute reports); set before {@link #start()}. */
    public void outcomes(BatchOutcomes listener) {
        this.outcomes = listener;
    }

    // ------------------------------------------------------------------ connection

    private void connect() {
        if (closing || state == State.CLOSED) {
            return;
        }
        long now = clock.getAsLong();
        RouterAddress target = picker.pick(now);
        if (target == null) {
            LOG.warn("no router known (no routers in ZooKeeper and none configured); retrying");
            scheduleReconnect();
            return;
        }
        state = State.CONNECTING;
        router = target;
        Bootstrap b = new Bootstrap().group(loop).channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, config.send().connectTimeoutMs().intValue())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .handler(new RouterChannelInitializer(this, MAX_FRAME, ssl, peerName(target), target.port()));
        ChannelFuture f = b.connect(target.host(), target.port());
        f.addListener((ChannelFuture cf) -> {
            if (!cf.isSuccess()) {
                String why = cf.cause() == null ? "?" : cf.cause().getMessage();
                connectionError = "cannot connect to router " + target + ": " + why;
                LOG.info("cannot connect to router {}: {}", target, why);
                picker.coolDown(target, clock.getAsLong(), Math.max(1000, config.send().backoffMaxMs() / 2));
                state = State.IDLE;
                scheduleReconnect();
            }
        });
    }

    private String peerName(RouterAddress target) {
        return config.tls().serverName().isEmpty() ? target.host() : config.tls().serverName();
    }

    /** The TCP connection is up: say HELLO (with TLS, it leaves once the TLS handshake is done). */
    void onActive(Channel ch) {
        if (closing) {
            ch.close();
            return;
        }
        channel = ch;
        tlsFailureSeen = false;
        state = State.HANDSHAKE;
        connections++;
        creditLimit = 0;
        sentBytes = 0;
        draining = false;
        lastRead = clock.getAsLong();
        ch.writeAndFlush(new Hello(ProtocolVersion.MIN_SUPPORTED, ProtocolVersion.MAX_SUPPORTED, CodecType.supportedMask(),
                config.id(), config.host(), config.authToken(), VERSION, config.labels().size() <= 64 ? config.labels() : Map.of()));
        lastWrite = clock.getAsLong();
    }

    void onWelcome(Channel ch, Welcome w) {
        if (ch != channel || state != State.HANDSHAKE) {
            return;
        }
        state = State.ACTIVE;
        connectionError = null;
        creditLimit = w.creditLimit();
        maxBatchBytes = w.maxBatchBytes();
        window.routerMaxBatchBytes(maxBatchBytes);
        codecMask = w.codecMask();
        heartbeatMs = Math.max(100, w.heartbeatIntervalMs());
        LOG.info("connected to router {} ({}), credit {}, max batch {} bytes", router, w.routerId(), creditLimit, maxBatchBytes);
        pump();
    }

    void onCredit(Channel ch, Credit c) {
        if (ch == channel && c.limit() > creditLimit) {
            creditLimit = c.limit();
            pump();
        }
    }

    void onGoAway(Channel ch, GoAway g) {
        if (ch != channel) {
            return;
        }
        LOG.info("router {} asks to leave ({}): {}; suggested {}", router, g.reason(), g.message(), g.suggestedRouters());
        picker.suggest(g.suggestedRouters());
        picker.coolDown(router, clock.getAsLong(), Math.max(5_000, config.send().backoffMaxMs()));
        draining = true;
        drainDeadline = clock.getAsLong() + config.send().drainTimeoutMs();
        if (ledger.inFlightCount() == 0) {
            ch.close();
        }
    }

    /** The TLS handshake failed: one WARN line saying why, then the connection is closed and the router cooled down. */
    void onTlsFailed(Channel ch, Throwable cause) {
        if (ch != channel || tlsFailureSeen) {
            ch.close();
            return;
        }
        tlsFailureSeen = true;
        String why = "TLS handshake with router " + router + " failed: " + RouterTls.explain(cause, peerName(router));
        warnOnce(why);
        picker.coolDown(router, clock.getAsLong(), config.send().backoffMaxMs());
        ch.close();
    }

    /** Logs a connection error at WARN when it differs from the previous one (repeats at DEBUG), and keeps it for {@link #connectionError()}. */
    private void warnOnce(String why) {
        if (why.equals(connectionError)) {
            LOG.debug(why);
        } else {
            LOG.warn(why);
        }
        connectionError = why;
    }

    void onError(Channel ch, ErrorFrame e) {
        if (ch == channel) {
            warnOnce("router " + router + " closed the connection: " + e.code() + " " + e.message());
        } else {
            LOG.warn("router {} closed the connection: {} {}", router, e.code(), e.message());
        }
        if (ch == channel && (e.code() == ErrorCode.AUTH_FAILED || e.code() == ErrorCode.UNSUPPORTED_VERSION)) {
            picker.coolDown(router, clock.getAsLong(), config.send().backoffMaxMs());
        }
        ch.close();
    }

    void onRead(Channel ch) {
        if (ch == channel) {
            lastRead = clock.getAsLong();
        }
    }

    void onInactive(Channel ch) {
        if (ch != channel) {
            return;
        }
        channel = null;
        boolean wasActive = state == State.ACTIVE;
        state = closing ? State.CLOSED : State.IDLE;
        ledger.disconnected();
        if (closing) {
            if (drained != null) {
                drained.complete(null);
            }
            return;
        }
        if (wasActive) {
            LOG.info("connection to router {} closed; {} batches to send again", router, ledger.queuedCount());
        }
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (closing) {
            return;
        }
        long delay = backoff.next();
        state = State.IDLE;
        loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------ sending

    private void pump() {
        Channel ch = channel;
        if (state != State.ACTIVE || draining || closing || ch == null) {
            return;
        }
        boolean wrote = false;
        StreamLedger.Entry e;
        while ((e = ledger.nextToSend()) != null && ch.isWritable()) {
            OutBatch b = e.batch();
            int cost = BatchFrame.BODY_OVERHEAD + b.size();
            if (cost > maxBatchBytes) {
                // Built before this router's limit was known: read that part again, cut to fit.
                LOG.info("a batch of {} bytes of {} is over router {}'s limit of {}; reading it again in smaller batches", b.size(),
                        b.taskId(), router, maxBatchBytes);
                ledger.tooLarge(e);
                continue;
            }
            if (codecMask != 0 && (codecMask & (1 << codecId(b))) == 0) {
                reject(e, ErrorCode.UNSUPPORTED_CODEC, "the router does not accept this task's codec");
                continue;
            }
            if (sentBytes + cost > creditLimit) {
                break;
            }
            long batchId = ledger.sent(e, clock.getAsLong());
            sentBytes += cost;
            ch.write(new BatchFrame(batchId, b.bytes().retainedDuplicate()), ch.voidPromise());
            wrote = true;
        }
        if (wrote) {
            ch.flush();
            lastWrite = clock.getAsLong();
        }
    }

    private static int codecId(OutBatch b) {
        return b.bytes().getUnsignedByte(b.bytes().readerIndex() + io.datastream.protocol.batch.BatchLayout.CODEC_OFFSET);
    }

    void onWritable(Channel ch) {
        if (ch == channel) {
            pump();
        }
    }

    // ------------------------------------------------------------------ acks

    void onAck(Channel ch, Ack a) {
        StreamLedger.Entry e = ch == channel ? ledger.inFlight(a.batchId()) : null;
        if (e == null) {
            return; // a batch dropped by a park, or an old connection
        }
        if (a.status() == AckStatus.OK) {
            backoff.reset();
            ledger.acked(e);
            checkDrained();
            if (draining && ledger.inFlightCount() == 0) {
                ch.close();
            } else {
                pump();
            }
            return;
        }
        if (a.status() == AckStatus.RETRY_LATER && draining) {
            // the router is leaving anyway: wait for the other acks, send this one to the next router
            ledger.sendAgainLater(e);
            if (ledger.inFlightCount() == 0) {
                ch.close();
            }
            return;
        }
        if (a.status() == AckStatus.RETRY_LATER) {
            // kept in flight: it is sent again with the others, in order, once the connection is closed
            LOG.info("router {} asks to retry later ({}: {}); moving to another router", router, a.error(), a.message());
            picker.coolDown(router, clock.getAsLong(), Math.max(1_000, config.send().backoffMaxMs() / 2));
            ch.close();
            return;
        }
        reject(e, a.error(), a.error() + ": " + a.message());
        checkDrained();
        pump();
    }

    /** A batch that will never be accepted as is: the ledger parks its task and drops its batches. */
    private void reject(StreamLedger.Entry e, ErrorCode code, String message) {
        LOG.warn("router {} rejected a batch of task {} ({}): {}; parking the task", router, e.batch().taskId(), code, message);
        ledger.reject(e, message);
    }

    // ------------------------------------------------------------------ timers

    private void tick() {
        pushProgress();
        long now = clock.getAsLong();
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        if (state == State.HANDSHAKE && now - lastRead > Math.max(config.send().connectTimeoutMs(), 5_000)) {
            LOG.info("router {} did not answer HELLO; reconnecting", router);
            picker.coolDown(router, now, config.send().backoffMaxMs());
            ch.close();
            return;
        }
        if (state != State.ACTIVE) {
            return;
        }
        if (now - lastRead > 3 * heartbeatMs + 1_000) {
            LOG.info("nothing from router {} for {} ms; reconnecting", router, now - lastRead);
            ch.close();
            return;
        }
        if (draining && now >= drainDeadline) {
            LOG.info("router {} did not acknowledge {} batches after GOAWAY; sending them elsewhere", router, ledger.inFlightCount());
            ch.close();
            return;
        }
        StreamLedger.Entry oldest = ledger.oldestInFlight();
        if (oldest != null) {
            if (now - oldest.sentAtMillis() > config.send().ackTimeoutMs()) {
                LOG.warn("router {} has not acknowledged a batch for {} ms; reconnecting", router, now - oldest.sentAtMillis());
                picker.coolDown(router, now, config.send().backoffMaxMs());
                ch.close();
                return;
            }
        }
        if (now - lastWrite >= heartbeatMs) {
            ch.writeAndFlush(new Heartbeat(System.currentTimeMillis()), ch.voidPromise());
            lastWrite = now;
        }
    }

    // ------------------------------------------------------------------ progress, snapshots, close

    /**
     * Where acknowledged progress goes (the checkpointer's inbox); set before {@link #start()}.
     * The shipper pushes what moved at most every 200 ms, coalesced (the ledger keeps one offset
     * per stream and one count per task and minute until it is pushed), and at {@link
     * #flushProgress()}.
     */
    public void progressTo(Consumer<Progress<AckedOffset>> sink) {
        this.progress = sink;
    }

    private void pushProgress() {
        if (ledger.hasProgress()) {
            progress.accept(ledger.takeProgress());
        }
    }

    /** Pushes the acknowledged progress not pushed yet (before the final checkpoint); done at once when the shipper is closed. */
    public CompletableFuture<Void> flushProgress() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                pushProgress();
                f.complete(null);
            });
        } catch (RuntimeException e) {
            f.complete(null);
        }
        return f;
    }

    /** The counters and the connection now (status, metrics); changes nothing. */
    public CompletableFuture<ShipperSnapshot> snapshot() {
        CompletableFuture<ShipperSnapshot> f = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                LedgerSnapshot l = ledger.snapshot();
                f.complete(new ShipperSnapshot(l.tasks(), state == State.ACTIVE && router != null ? router.toString() : null,
                        l.inFlight(), l.queued(), Math.max(0, connections - 1), creditLimit));
            });
        } catch (RuntimeException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    /**
     * Stops sending new batches and waits (at most {@code timeoutMs}) for the in-flight ones to
     * be acknowledged, so that the final checkpoint has them.
     */
    public CompletableFuture<Void> drain(long timeoutMs) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                closing = true;
                drained = f;
                if (ledger.inFlightCount() == 0 || channel == null) {
                    f.complete(null);
                }
            });
            loop.schedule(() -> f.complete(null), timeoutMs, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            f.complete(null);
        }
        return f;
    }

    void checkDrained() {
        if (drained != null && ledger.inFlightCount() == 0) {
            drained.complete(null);
        }
    }

    @Override
    public void close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                closing = true;
                state = State.CLOSED;
                if (channel != null) {
                    Channel ch = channel;
                    channel = null;
                    ch.close();
                }
                ledger.discardAll();
                done.complete(null);
            });
            done.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("closing the shipper: {}", e.toString());
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** The event loop (tests). */
    EventLoop eventLoop() {
        return loop;
    }
}
