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
public final class DiscardSink extends ChannelSink {

    public DiscardSink(String name, String channel, ChannelConsumer consumer, IntakeMetrics.SinkCounters counters) {
        super(name, channel, consumer, counters);
    }

    @Override
    public DiscardSink start() {
        super.start();
        return this;
    }

    @Override
    protected void run() {
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
        stopThread();
    }
}
