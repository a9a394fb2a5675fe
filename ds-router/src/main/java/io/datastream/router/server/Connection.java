package io.datastream.router.server;

import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.frame.Ack;
import io.datastream.protocol.frame.AckStatus;
import io.datastream.protocol.frame.Credit;
import io.datastream.protocol.frame.ErrorFrame;
import io.datastream.protocol.frame.GoAway;
import io.datastream.protocol.frame.GoAwayReason;
import io.datastream.protocol.frame.Welcome;
import io.datastream.router.auth.Identity;
import io.datastream.router.credit.CreditPump;
import io.datastream.router.kafka.Delivery;
import io.datastream.router.kafka.DeliveryListener;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.internal.PlatformDependent;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One agent connection: protocol state and credit account. Confined to the channel's event
 * loop; the public methods that other threads call ({@link #delivered}, {@link #refill},
 * {@link #goAway}, {@link #close}) hop onto it.
 *
 * <p>Credit: {@code received} counts BATCH body bytes announced by frame headers (the
 * {@link FrameGate} refuses a frame beyond {@code limit} before it is buffered), {@code released}
 * the bytes of batches that are finished (answered with an ACK). The limit only grows.
 */
public final class Connection implements CreditPump.Refillable, DeliveryListener {
    enum State { AWAIT_HELLO, OPEN, GOING_AWAY, CLOSED }

    private final Channel channel;
    private final ServerContext ctx;
    private volatile State state = State.AWAIT_HELLO;
    private GoAwayReason goAwayReason;
    private boolean closeWhenIdle;
    private long limit;
    private long received;
    private volatile long releasedBytes;
    private long released;
    private int inFlight;
    /** Credit cost of the batches in flight (accepted, holding a reservation, not finished). */
    private long inFlightCost;
    private boolean flushScheduled;
    private final Runnable flushTask = this::flushNow;
    /** Deliveries ended on other threads, not yet settled; at most the connection's batches in flight. */
    private final Queue<Done> done = PlatformDependent.newMpscQueue();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drainDone;
    private String agentId = "";
    private String host = "";
    private Identity identity = Identity.OPEN;
    private final long openedAtMillis = System.currentTimeMillis();
    private long batches;
    /** Batches over which the expansion is averaged (exponentially weighted). */
    private static final int EXPANSION_WEIGHT = 8;
    /** Pool bytes per credit byte of the recent batches (see {@link #accepted}). */
    private double expansion = 1;

    Connection(Channel channel, ServerContext ctx) {
        this.channel = channel;
        this.ctx = ctx;
    }

    // ------------------------------------------------------------------ handshake and frames

    boolean awaitingHello() {
        return state == State.AWAIT_HELLO;
    }

    /** Accounts a BATCH body announced by a frame header; false when it is beyond the credit granted. */
    boolean admit(long bodyBytes) {
        if (received + bodyBytes > limit) {
            return false;
        }
        received += bodyBytes;
        return true;
    }

    long creditLimit() {
        return limit;
    }

    long received() {
        return received;
    }

    /** HELLO was accepted: answer WELCOME with the first credit. */
    void open(String agentId, String host, Identity identity, int version, int codecMask) {
        this.agentId = agentId;
        this.identity = identity;
        this.host = host;
        state = State.OPEN;
        int n = ctx.connections().count();
        long first = ctx.credit().nextLimit(0, 0, 0, n);
        grant(first);
        ServerSettings s = ctx.settings();
        channel.writeAndFlush(new Welcome(version, codecMask, s.heartbeatIntervalMs(), s.maxBatchBytes(), limit, s.routerId(), Map.of()));
        if (limit < ctx.credit().targetLimit(0, n, 1)) {
            ctx.pump().hungry(this);
        }
    }

    boolean isDraining() {
        return state == State.GOING_AWAY && goAwayReason == GoAwayReason.DRAIN;
    }

    boolean isOpen() {
        return state == State.OPEN || state == State.GOING_AWAY;
    }

    /** Sends ERROR and closes the connection. */
    void fatal(ErrorCode code, String message) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        ctx.metrics().error(code);
        channel.writeAndFlush(new ErrorFrame(code, message)).addListener(ChannelFutureListener.CLOSE);
    }

    void closed() {
        state = State.CLOSED;
        ctx.pump().forget(this);
    }

    // ------------------------------------------------------------------ batches

    /**
     * A batch was accepted and holds {@code reservation} pool bytes for its {@code cost} credit
     * bytes. The ratio of the two is the expansion that scales the connection's credit
     * ({@link io.datastream.router.credit.CreditPolicy}): it follows a batch that needs more at
     * once, and one that needs less over about {@link #EXPANSION_WEIGHT} batches.
     */
    void accepted(int cost, long reservation) {
        inFlight++;
        inFlightCost += cost;
        batches++;
        double x = Math.max(1, (double) reservation / Math.max(1, cost));
        expansion = x >= expansion ? x : expansion + (x - expansion) / EXPANSION_WEIGHT;
    }

    /**
     * Finishes a batch: ACK, and credit for its bytes. The flush is scheduled behind the tasks
     * already queued on the event loop, so a burst of Kafka acknowledgements leaves in one write,
     * with one CREDIT frame for all of them (computed when the flush runs).
     */
    void settle(long batchId, int cost, AckStatus status, ErrorCode code, String message) {
        released += cost;
        releasedBytes = released;
        ctx.metrics().ack(status, code);
        channel.write(new Ack(batchId, status, code, message));
        if (!flushScheduled) {
            flushScheduled = true;
            channel.eventLoop().execute(flushTask);
        }
        closeIfDone();
    }

    private void flushNow() {
        flushScheduled = false;
        topUp();
        channel.flush();
    }

    /**
     * Called by the producer's thread (or whoever ends the delivery). Deliveries that end while
     * the event loop has not yet taken the earlier ones join them: one task on the event loop
     * settles them all, so a produce response that completes many batches wakes the loop once.
     */
    @Override
    public void delivered(Delivery d, AckStatus status, ErrorCode code, String message, int records) {
        done.offer(new Done(d, status, code, message, records));
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(drainTask);
            } catch (RejectedExecutionException e) {
                // the event loops are gone (router halted): only the memory matters now
                // (the flag is cleared after draining: one thread at a time polls the queue)
                Done x;
                while ((x = done.poll()) != null) {
                    ctx.pool().release(x.delivery().reservation());
                }
                drainScheduled.set(false);
            }
        }
    }

    private void drainDone() {
        drainScheduled.set(false); // before polling: a delivery offered from now on schedules another drain
        Done x;
        while ((x = done.poll()) != null) {
            onDelivered(x.delivery(), x.status(), x.code(), x.message(), x.records());
        }
    }

    private void onDelivered(Delivery d, AckStatus status, ErrorCode code, String message, int records) {
        ctx.pool().release(d.reservation());
        inFlight--;
        inFlightCost -= d.cost();
        if (status == AckStatus.OK) {
            ctx.metrics().batchOut(d.cost(), records);
            ctx.reports().toKafka(d.taskId(), d.readMinute(), d.records(), d.sourceBytes());
        } else {
            ctx.reports().refused(d.taskId(), d.readMinute(), d.records(), code == null ? ErrorCode.UNKNOWN : code);
        }
        settle(d.batchId(), d.cost(), status, code, message);
    }

    /** A delivery's end, on its way to the event loop. */
    private record Done(Delivery delivery, AckStatus status, ErrorCode code, String message, int records) {
    }

    // ------------------------------------------------------------------ credit

    private void grant(long next) {
        if (next > limit) {
            ctx.metrics().creditGranted(next - limit);
            limit = next;
        }
    }

    /** Raises the credit limit as far as the policy and the pool allow; writes CREDIT (unflushed) when it grew. */
    private void topUp() {
        if (state != State.OPEN) {
            return;
        }
        int n = ctx.connections().count();
        long before = limit;
        grant(ctx.credit().nextLimit(limit, received, released, n, expansion, received - released - inFlightCost));
        if (limit > before) {
            channel.write(new Credit(limit));
        }
        if (limit < ctx.credit().targetLimit(released, n, expansion)) {
            ctx.pump().hungry(this);
        }
    }

    @Override
    public void refill() {
        try {
            channel.eventLoop().execute(() -> {
                topUp();
                channel.flush();
            });
        } catch (RejectedExecutionException e) {
            // router stopped
        }
    }

    // ------------------------------------------------------------------ leaving

    /**
     * Tells the agent to go away (once): no more credit; batches already sent are still
     * acknowledged. A migrating connection is closed {@code goAwayCloseAfterMs} later, once
     * nothing is in flight; a draining router closes its connections itself.
     */
    public void goAway(GoAwayReason reason, List<String> suggested, String message) {
        try {
            channel.eventLoop().execute(() -> sendGoAway(reason, suggested, message));
        } catch (RejectedExecutionException e) {
            // router stopped
        }
    }

    private void sendGoAway(GoAwayReason reason, List<String> suggested, String message) {
        {
            if (state != State.OPEN) {
                return;
            }
            state = State.GOING_AWAY;
            goAwayReason = reason;
            ctx.pump().forget(this);
            ctx.metrics().goAway(reason);
            channel.writeAndFlush(new GoAway(reason, suggested, message));
            if (reason == GoAwayReason.MIGRATE) {
                channel.eventLoop().schedule(() -> {
                    closeWhenIdle = true;
                    closeIfDone();
                }, ctx.settings().goAwayCloseAfterMs(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void closeIfDone() {
        if (closeWhenIdle && inFlight == 0 && channel.isActive()) {
            channel.flush();
            channel.close();
        }
    }

    /** Closes the connection now (the agent re-sends what was not acknowledged). */
    public void close() {
        channel.close();
    }

    // ------------------------------------------------------------------ views for migration and tests

    /** BATCH body bytes finished on this connection; read from other threads for choosing whom to migrate. */
    public long releasedBytes() {
        return releasedBytes;
    }

    public boolean isMigratable() {
        return state == State.OPEN;
    }

    public String agentId() {
        return agentId;
    }

    public String host() {
        return host;
    }

    /** Who the HELLO authenticated as, and what it may write. */
    Identity identity() {
        return identity;
    }

    /** What this connection is now, read on its event loop; fails when the event loop is gone (router stopped). */
    public CompletableFuture<ConnectionSnapshot> snapshot() {
        CompletableFuture<ConnectionSnapshot> f = new CompletableFuture<>();
        try {
            channel.eventLoop().execute(() -> f.complete(new ConnectionSnapshot(agentId, host, remote(),
                    identity.credential(), channel.pipeline().get(SslHandler.class) != null, state.name(), openedAtMillis, batches,
                    received, released, limit, inFlight)));
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    private String remote() {
        return channel.remoteAddress() instanceof InetSocketAddress a ? a.getHostString() + ":" + a.getPort()
                : String.valueOf(channel.remoteAddress());
    }

    @Override
    public String toString() {
        return "Connection[" + channel.remoteAddress() + ", agent=" + agentId + ", state=" + state + "]";
    }
}
