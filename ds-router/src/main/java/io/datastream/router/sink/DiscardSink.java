package io.datastream.router.sink;

import io.datastream.router.channel.ChannelConsumer;
import io.datastream.router.channel.ChannelRecord;
import io.datastream.router.http.IntakeMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Takes events and commits them at once, writing nothing: for benchmarks of the source and the
 * channel, and for tests. Events are counted, never silently lost: configuring it is the choice.
 */
public final class DiscardSink implements Sink {
    private final String name;
    private final String channel;
    private final ChannelConsumer consumer;
    private final IntakeMetrics.SinkCounters counters;
    private final Thread thread;
    private volatile boolean stopping;

    public DiscardSink(String name, String channel, ChannelConsumer consumer, IntakeMetrics.SinkCounters counters) {
        this.name = name;
        this.channel = channel;
        this.consumer = consumer;
        this.counters = counters;
        this.thread = new Thread(this::run, "ds-router-sink-" + name);
        this.thread.setDaemon(true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String channel() {
        return channel;
    }

    @Override
    public DiscardSink start() {
        thread.start();
        return this;
    }

    @Override
    public long lagEvents() {
        return consumer.lagEvents();
    }

    private void run() {
        try {
            while (!stopping) {
                List<ChannelRecord> records = consumer.take(65_536, 64L << 20, 100, TimeUnit.MILLISECONDS);
                if (!records.isEmpty()) {
                    consumer.commit(records.get(records.size() - 1).nextPosition());
                    counters.events().inc(records.size());
                    counters.batches().inc();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close(Duration timeout) {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
