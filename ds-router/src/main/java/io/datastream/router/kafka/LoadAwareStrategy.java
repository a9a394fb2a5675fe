package io.datastream.router.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.apache.kafka.common.PartitionInfo;

/**
 * Round robin over the partitions whose leader broker acknowledges fast, in the spirit of Kafka's
 * adaptive partitioning (KIP-794). Each broker's acknowledgement latency is an exponentially
 * weighted moving average of what this router measured; a partition is skipped while its leader's
 * average is above {@code slowFactor} times the fastest leader's. A sample older than
 * {@code staleNanos} no longer counts, so a skipped broker is tried again and can recover.
 */
public final class LoadAwareStrategy implements PartitionStrategy {
    private static final double ALPHA = 0.2;

    private final double slowFactor;
    private final long staleNanos;
    private final LongSupplier nanoClock;
    private final Map<Integer, BrokerLatency> brokers = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    public LoadAwareStrategy(double slowFactor, long staleNanos, LongSupplier nanoClock) {
        this.slowFactor = slowFactor;
        this.staleNanos = staleNanos;
        this.nanoClock = nanoClock;
    }

    @Override
    public int partition(String topic, List<PartitionInfo> partitions, byte[] key) {
        List<PartitionInfo> available = PartitionStrategy.available(partitions);
        long now = nanoClock.getAsLong();
        double best = Double.MAX_VALUE;
        for (PartitionInfo p : available) {
            double l = latency(p, now);
            if (l >= 0) {
                best = Math.min(best, l);
            }
        }
        List<PartitionInfo> fast = available;
        if (best != Double.MAX_VALUE) {
            fast = new ArrayList<>(available.size());
            for (PartitionInfo p : available) {
                double l = latency(p, now);
                if (l < 0 || l <= best * slowFactor) {
                    fast.add(p);
                }
            }
        }
        return fast.get(Math.floorMod(next.getAndIncrement(), fast.size())).partition();
    }

    /** The leader's fresh average latency, or -1 when there is no fresh sample. */
    private double latency(PartitionInfo p, long now) {
        if (p.leader() == null) {
            return -1;
        }
        BrokerLatency b = brokers.get(p.leader().id());
        return b == null ? -1 : b.fresh(now, staleNanos);
    }

    @Override
    public void onAck(String topic, int partition, int leaderId, long latencyNanos) {
        if (leaderId >= 0) {
            brokers.computeIfAbsent(leaderId, id -> new BrokerLatency()).record(latencyNanos, nanoClock.getAsLong(), staleNanos);
        }
    }

    /** The moving average of one broker. */
    private static final class BrokerLatency {
        private double average = -1;
        private long sampledAt;

        /** A sample after a stale one starts a new average: old history does not hold a recovered broker back. */
        synchronized void record(long latencyNanos, long now, long staleNanos) {
            boolean restart = average < 0 || now - sampledAt > staleNanos;
            average = restart ? latencyNanos : average + ALPHA * (latencyNanos - average);
            sampledAt = now;
        }

        synchronized double fresh(long now, long staleNanos) {
            return average >= 0 && now - sampledAt <= staleNanos ? average : -1;
        }
    }
}
