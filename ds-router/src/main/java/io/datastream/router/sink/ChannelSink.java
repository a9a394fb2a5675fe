package io.datastream.router.sink;

import io.datastream.router.channel.ChannelConsumer;
import io.datastream.router.http.IntakeMetrics;

/**
 * What every sink has: a name, the channel it drains through its own consumer (its own position),
 * its counters, and the one thread that runs {@link #run()} until {@link #stopThread()}.
 */
abstract class ChannelSink implements Sink {
    protected final ChannelConsumer consumer;
    protected final IntakeMetrics.SinkCounters counters;
    /** Set once, when the sink is closing; {@link #run()} returns soon after. */
    protected volatile boolean stopping;
    private final String name;
    private final String channel;
    private final Thread thread;

    ChannelSink(String name, String channel, ChannelConsumer consumer, IntakeMetrics.SinkCounters counters) {
        this.name = name;
        this.channel = channel;
        this.consumer = consumer;
        this.counters = counters;
        this.thread = new Thread(this::run, "ds-router-sink-" + name);
        this.thread.setDaemon(true);
    }

    /** The sink's loop, on its own thread: take, deliver, commit, until {@link #stopping}. */
    protected abstract void run();

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String channel() {
        return channel;
    }

    @Override
    public ChannelSink start() {
        thread.start();
        return this;
    }

    @Override
    public final long lagEvents() {
        return consumer.lagEvents();
    }

    /** Sets {@link #stopping}, interrupts the thread and waits up to 10 s for it to end. */
    protected final void stopThread() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
