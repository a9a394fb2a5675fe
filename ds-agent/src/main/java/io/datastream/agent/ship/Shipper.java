package io.datastream.agent.ship;

import io.datastream.agent.AgentConfig;
import io.datastream.agent.batch.BatchOutlet;
import io.datastream.agent.batch.BatchOutcomes;
import io.datastream.agent.batch.OutBatch;
import io.datastream.agent.batch.SendWindow;
import io.datastream.agent.checkpoint.AckedOffset;
import io.datastream.agent.checkpoint.MinuteCounts;
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
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shipper: one router connection on one Netty event loop, which is the only thread that
 * touches its state. Sends batches in submission order within the router's credit and while
 * the channel is writable; keeps every batch until it is acknowledged. ACK OK advances the
 * stream's acknowledged offset (contiguously: a stream's offset moves only past a prefix of
 * acknowledged batches). RETRY_LATER, a disconnect, an ack timeout or a GOAWAY make it
 * reconnect (to another router when there is one, with backoff and jitter) and send the
 * unacknowledged batches again, same bytes. REJECTED parks the task: its batches are dropped
 * and the tailer rewinds to the first dropped offset.
 */
public final class Shipper implements BatchOutlet, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Shipper.class);
    /** Frames from a router are small control frames. */
    private static final int MAX_FRAME = 1 << 20;
    private static final String VERSION = Shipper.class.getPackage().getImplementationVersion() == null
            ? "dev" : Shipper.class.getPackage().getImplementationVersion();

    /** A batch while the shipper holds it. */
    static final class Pending {
        final OutBatch batch;
        final long seq;
        long batchId = -1;
        long sentAtMillis;
        boolean acked;
        boolean sentBefore;

        Pending(OutBatch batch, long seq) {
            this.batch = batch;
            this.seq = seq;
        }
    }

    private record StreamKey(String taskId, long streamId) {
    }

    /** A stream's acknowledged offset and its batches not yet acknowledged, in offset order. */
    private static final class Tracker {
        final long fingerprint;
        final int fingerprintLength;
        long acked;
        final ArrayDeque<Pending> outstanding = new ArrayDeque<>();

        Tracker(long fingerprint, int fingerprintLength, long acked) {
            this.fingerprint = fingerprint;
            this.fingerprintLength = fingerprintLength;
            this.acked = acked;
        }
    }

    private static final class TaskCounters {
        long sent;
        long acked;
        long resent;
        long rejected;
        long lines;
        long bytes;
        long unackedBytes;
        String lastError;
        long parkedEpoch = -1;
    }

    private enum State { IDLE, CONNECTING, HANDSHAKE, ACTIVE, CLOSED }

    private final AgentConfig config;
    private final SendWindow window;
    private final TaskParker parker;
    private final LongSupplier clock;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final RouterPicker picker;
    private final Backoff backoff;
    private final SslContext ssl;
    /** The last reason a connection failed or was refused, cleared by a WELCOME; read by other threads. */
    private volatile String connectionError;

    // ---- event-loop state
    private final ArrayDeque<Pending> unsent = new ArrayDeque<>();
    private final LinkedHashMap<Long, Pending> inFlight = new LinkedHashMap<>();
    private final Map<StreamKey, Tracker> trackers = new HashMap<>();
    private final Map<StreamKey, AckedOffset> ackedChanged = new LinkedHashMap<>();
    /** Lines and bytes the acknowledged offsets passed since the last report, per task and minute (for the checkpoint). */
    private final Map<MinuteCounts.Key, MinuteCounts> ackedCounts = new HashMap<>();
    private volatile BatchOutcomes outcomes = BatchOutcomes.NONE;
    private final Map<String, TaskCounters> counters = new HashMap<>();
    /** Streams sent back to be read again from an offset: batches built before the rewind are dropped. */
    private final Map<StreamKey, Long> awaitingRewind = new HashMap<>();
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
    private long nextSeq;
    private long nextBatchId;
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
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("ds-agent-shipper", true), NioIoHandler.newFactory());
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
        try {
            loop.execute(() -> accept(batch));
        } catch (RuntimeException e) {
            // shut down: the batch is not acknowledged, so it is read again after a restart
            outcomes.discarded(batch);
            batch.release();
            window.give(batch.size());
        }
    }

    private void accept(OutBatch b) {
        TaskCounters tc = counters(b.taskId());
        if (closing || b.taskEpoch() <= tc.parkedEpoch) {
            if (!closing) {
                // built before the task was parked: drop it and have the tailer read it again later
                parker.rewind(b.taskId(), Map.of(b.streamId(), b.startOffset()));
            }
            drop(b);
            return;
        }
        StreamKey key = new StreamKey(b.taskId(), b.streamId());
        Long rewoundTo = awaitingRewind.get(key);
        if (rewoundTo != null) {
            if (b.startOffset() != rewoundTo) {
                drop(b); // built before the tailer went back: it reads this part again
                return;
            }
            awaitingRewind.remove(key);
        }
        Pending p = new Pending(b, nextSeq++);
        Tracker t = trackers.get(key);
        if (t == null) {
            t = new Tracker(b.fingerprint(), b.fingerprintLength(), b.startOffset());
            trackers.put(key, t);
        } else if (t.outstanding.isEmpty() && t.acked != b.startOffset()) {
            t.acked = b.startOffset(); // the tailer moved the stream (rewind, restart)
        }
        t.outstanding.add(p);
        tc.unackedBytes += b.endOffset() - b.startOffset();
        unsent.add(p);
        pump();
    }

    private void drop(OutBatch b) {
        outcomes.discarded(b);
        free(b);
    }

    private void free(OutBatch b) {
        b.release();
        window.give(b.size());
    }

    /** Who is told how each batch ends (the minute reports); set before {@link #start()}. */
    public void outcomes(BatchOutcomes listener) {
        this.outcomes = listener;
    }

    private TaskCounters counters(String task) {
        return counters.computeIfAbsent(task, k -> new TaskCounters());
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
        Bootstrap b = new Bootstrap().group(loop).channel(NioSocketChannel.class)
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
        if (inFlight.isEmpty()) {
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
        requeueInFlight();
        if (closing) {
            if (drained != null) {
                drained.complete(null);
            }
            return;
        }
        if (wasActive) {
            LOG.info("connection to router {} closed; {} batches to send again", router, unsent.size());
        }
        scheduleReconnect();
    }

    private void requeueInFlight() {
        if (inFlight.isEmpty()) {
            return;
        }
        List<Pending> back = new ArrayList<>(inFlight.values());
        inFlight.clear();
        // in-flight batches were sent before every unsent one: put them back in front, in order
        for (int i = back.size() - 1; i >= 0; i--) {
            Pending p = back.get(i);
            p.batchId = -1;
            p.sentBefore = true;
            unsent.addFirst(p);
        }
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
        while (!unsent.isEmpty() && ch.isWritable()) {
            Pending p = unsent.peek();
            OutBatch b = p.batch;
            TaskCounters tc = counters(b.taskId());
            if (b.taskEpoch() <= tc.parkedEpoch) {
                unsent.poll();
                continue; // dropped by a park (already released)
            }
            int cost = BatchFrame.BODY_OVERHEAD + b.size();
            if (cost > maxBatchBytes) {
                // Built before this router's limit was known: read that part again, cut to fit.
                unsent.poll();
                rebuild(p);
                continue;
            }
            if (codecMask != 0 && (codecMask & (1 << codecId(b))) == 0) {
                unsent.poll();
                reject(p, ErrorCode.UNSUPPORTED_CODEC, "the router does not accept this task's codec");
                continue;
            }
            if (sentBytes + cost > creditLimit) {
                break;
            }
            unsent.poll();
            p.batchId = nextBatchId++;
            p.sentAtMillis = clock.getAsLong();
            inFlight.put(p.batchId, p);
            sentBytes += cost;
            tc.sent++;
            if (p.sentBefore) {
                tc.resent++;
            }
            ch.write(new BatchFrame(p.batchId, b.bytes().retainedDuplicate()), ch.voidPromise());
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
        Pending p = inFlight.remove(a.batchId());
        if (ch != channel || p == null) {
            return; // a batch dropped by a park, or an old connection
        }
        OutBatch b = p.batch;
        if (a.status() == AckStatus.OK) {
            backoff.reset();
            acked(p);
            checkDrained();
            if (draining && inFlight.isEmpty()) {
                ch.close();
            } else {
                pump();
            }
            return;
        }
        if (a.status() == AckStatus.RETRY_LATER && draining) {
            // the router is leaving anyway: wait for the other acks, send this one to the next router
            p.batchId = -1;
            p.sentBefore = true;
            List<Pending> all = new ArrayList<>(unsent);
            all.add(p);
            all.sort((x, y) -> Long.compare(x.seq, y.seq));
            unsent.clear();
            unsent.addAll(all);
            if (inFlight.isEmpty()) {
                ch.close();
            }
            return;
        }
        if (a.status() == AckStatus.RETRY_LATER) {
            LOG.info("router {} asks to retry later ({}: {}); moving to another router", router, a.error(), a.message());
            inFlight.put(a.batchId(), p); // keep it: it is re-sent with the others, in order
            reorderInFlight();
            picker.coolDown(router, clock.getAsLong(), Math.max(1_000, config.send().backoffMaxMs() / 2));
            ch.close();
            return;
        }
        reject(p, a.error(), a.error() + ": " + a.message());
        checkDrained();
        pump();
    }

    private void reorderInFlight() {
        List<Pending> all = new ArrayList<>(inFlight.values());
        all.sort((x, y) -> Long.compare(x.seq, y.seq));
        inFlight.clear();
        for (Pending q : all) {
            inFlight.put(q.batchId, q);
        }
    }

    private void acked(Pending p) {
        OutBatch b = p.batch;
        p.acked = true;
        TaskCounters tc = counters(b.taskId());
        tc.acked++;
        tc.lines += b.records();
        tc.bytes += b.endOffset() - b.startOffset();
        tc.unackedBytes -= b.endOffset() - b.startOffset();
        StreamKey key = new StreamKey(b.taskId(), b.streamId());
        Tracker t = trackers.get(key);
        if (t != null) {
            long before = t.acked;
            while (!t.outstanding.isEmpty() && t.outstanding.peek().acked) {
                OutBatch done = t.outstanding.poll().batch;
                t.acked = Math.max(t.acked, done.endOffset());
                // counted for the checkpoint with the offset it moves, never ahead of it
                long minute = Math.floorDiv(done.createdMillis(), 60_000L);
                ackedCounts.merge(new MinuteCounts.Key(done.taskId(), minute),
                        MinuteCounts.acked(done.taskId(), minute, done.records(), done.endOffset() - done.startOffset()), MinuteCounts::plus);
            }
            if (t.acked != before) {
                ackedChanged.put(key, new AckedOffset(key.taskId(), key.streamId(), t.fingerprint, t.fingerprintLength, t.acked));
            }
            if (t.outstanding.isEmpty()) {
                trackers.remove(key);
            }
        }
        outcomes.acked(b);
        free(b);
    }

    /**
     * Drops a batch too large for the router and every later unsent batch of its stream, and has
     * the tailer read the stream again from the batch's start (it now builds batches that fit).
     */
    private void rebuild(Pending p) {
        OutBatch b = p.batch;
        LOG.info("a batch of {} bytes of {} is over router {}'s limit of {}; reading it again in smaller batches", b.size(),
                b.taskId(), router, maxBatchBytes);
        List<Pending> dropped = new ArrayList<>();
        dropped.add(p);
        for (Iterator<Pending> it = unsent.iterator(); it.hasNext(); ) {
            Pending q = it.next();
            if (q.batch.streamId() == b.streamId() && q.batch.taskId().equals(b.taskId())) {
                it.remove();
                dropped.add(q);
            }
        }
        StreamKey key = new StreamKey(b.taskId(), b.streamId());
        Tracker t = trackers.get(key);
        TaskCounters tc = counters(b.taskId());
        for (Pending q : dropped) {
            if (t != null) {
                t.outstanding.remove(q);
            }
            tc.unackedBytes -= q.batch.endOffset() - q.batch.startOffset();
            drop(q.batch);
        }
        if (t != null && t.outstanding.isEmpty()) {
            trackers.remove(key);
        }
        awaitingRewind.put(key, b.startOffset());
        parker.rewind(b.taskId(), Map.of(b.streamId(), b.startOffset()));
    }

    /** A batch that will never be accepted as is: park its task and drop its batches. */
    private void reject(Pending p, ErrorCode code, String message) {
        OutBatch b = p.batch;
        TaskCounters tc = counters(b.taskId());
        tc.rejected++;
        tc.lastError = "REJECTED " + message;
        tc.parkedEpoch = Math.max(tc.parkedEpoch, b.taskEpoch());
        LOG.warn("router {} rejected a batch of task {} ({}): {}; parking the task", router, b.taskId(), code, message);
        Map<Long, Long> rewind = new HashMap<>();
        rewind.put(b.streamId(), b.startOffset());
        dropTask(b.taskId(), tc.parkedEpoch, rewind, p);
        parker.park(b.taskId(), tc.parkedEpoch, rewind, tc.lastError);
    }

    /** Drops every batch of a task up to an epoch, noting the first dropped offset per stream. */
    private void dropTask(String task, long epoch, Map<Long, Long> rewind, Pending also) {
        List<Pending> dropped = new ArrayList<>();
        dropped.add(also);
        for (Iterator<Pending> it = unsent.iterator(); it.hasNext(); ) {
            Pending q = it.next();
            if (q.batch.taskId().equals(task) && q.batch.taskEpoch() <= epoch) {
                it.remove();
                dropped.add(q);
            }
        }
        for (Iterator<Pending> it = inFlight.values().iterator(); it.hasNext(); ) {
            Pending q = it.next();
            if (q.batch.taskId().equals(task) && q.batch.taskEpoch() <= epoch) {
                it.remove();
                dropped.add(q);
            }
        }
        TaskCounters tc = counters(task);
        for (Pending q : dropped) {
            OutBatch b = q.batch;
            rewind.merge(b.streamId(), b.startOffset(), Math::min);
            tc.unackedBytes -= b.endOffset() - b.startOffset();
            Tracker t = trackers.get(new StreamKey(task, b.streamId()));
            if (t != null) {
                t.outstanding.remove(q);
                if (t.outstanding.isEmpty()) {
                    trackers.remove(new StreamKey(task, b.streamId()));
                }
            }
            drop(b);
        }
    }

    // ------------------------------------------------------------------ timers

    private void tick() {
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
            LOG.info("router {} did not acknowledge {} batches after GOAWAY; sending them elsewhere", router, inFlight.size());
            ch.close();
            return;
        }
        if (!inFlight.isEmpty()) {
            Pending oldest = inFlight.values().iterator().next();
            if (now - oldest.sentAtMillis > config.send().ackTimeoutMs()) {
                LOG.warn("router {} has not acknowledged a batch for {} ms; reconnecting", router, now - oldest.sentAtMillis);
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

    // ------------------------------------------------------------------ reports, close

    public CompletableFuture<ShipperReport> report() {
        CompletableFuture<ShipperReport> f = new CompletableFuture<>();
        try {
            loop.execute(() -> f.complete(buildReport()));
        } catch (RuntimeException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    private ShipperReport buildReport() {
        List<AckedOffset> acked = new ArrayList<>(ackedChanged.values());
        ackedChanged.clear();
        List<MinuteCounts> counts = new ArrayList<>(ackedCounts.values());
        ackedCounts.clear();
        Map<String, ShipperReport.TaskShipping> tasks = new HashMap<>();
        Map<String, Long> oldest = new HashMap<>();
        for (Pending p : inFlight.values()) {
            oldest.merge(p.batch.taskId(), p.batch.createdMillis(), Math::min);
        }
        for (Pending p : unsent) {
            oldest.merge(p.batch.taskId(), p.batch.createdMillis(), Math::min);
        }
        for (Map.Entry<String, TaskCounters> e : counters.entrySet()) {
            TaskCounters c = e.getValue();
            tasks.put(e.getKey(), new ShipperReport.TaskShipping(c.sent, c.acked, c.resent, c.rejected, c.lines, c.bytes,
                    Math.max(0, c.unackedBytes), oldest.getOrDefault(e.getKey(), 0L), c.lastError));
        }
        return new ShipperReport(acked, tasks, state == State.ACTIVE && router != null ? router.toString() : null, inFlight.size(),
                unsent.size(), Math.max(0, connections - 1), creditLimit, counts);
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
                if (inFlight.isEmpty() || channel == null) {
                    f.complete(null);
                }
            });
            loop.schedule(() -> f.complete(null), timeoutMs, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            f.complete(null);
        }
        return f;
    }

    private void finishClose() {
        for (Pending p : unsent) {
            drop(p.batch);
        }
        unsent.clear();
        for (Pending p : inFlight.values()) {
            drop(p.batch);
        }
        inFlight.clear();
        trackers.clear();
    }

    void checkDrained() {
        if (drained != null && inFlight.isEmpty()) {
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
                requeueInFlight();
                finishClose();
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
