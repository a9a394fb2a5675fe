package io.datastream.router.kafka;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when the {@code source} partitioner leaves partitions idle. It keeps each file in the one
 * partition its key hashes to, so a topic with about as many files as partitions often has some
 * partitions that get nothing (4 files on 4 partitions use 3 of them about half of the time), and
 * the consumers of those partitions sit idle. Per topic and window of {@link #WINDOW_NANOS}: the
 * partitions that got a batch and the distinct keys (files) seen. A window that saw at least as
 * many files as partitions and left some partitions without a batch sets
 * {@code ds_router_partitions_idle{topic}} and logs a WARN (again when the number changes, or after
 * ten minutes). Bounded: at most {@value #MAX_TOPICS} topics and {@value #MAX_KEYS} keys per window
 * are tracked. Thread-safe (the sender threads call it).
 */
final class SpreadWatch {
    private static final Logger LOG = LoggerFactory.getLogger(SpreadWatch.class);
    static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long WARN_AGAIN_NANOS = TimeUnit.MINUTES.toNanos(10);
    static final int MAX_TOPICS = 1024;
    static final int MAX_KEYS = 4096;

    private final LongSupplier nanoClock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Map<String, Integer> idle = new ConcurrentHashMap<>();

    SpreadWatch(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** A batch with key hash {@code keyHash} went to {@code partition} of {@code topic}'s {@code partitions}. */
    void record(String topic, int partitions, int partition, int keyHash) {
        Window w = windows.get(topic);
        if (w == null) {
            if (windows.size() >= MAX_TOPICS) {
                return;
            }
            w = windows.computeIfAbsent(topic, t -> new Window(nanoClock.getAsLong()));
        }
        synchronized (w) {
            long now = nanoClock.getAsLong();
            if (now - w.start >= WINDOW_NANOS) {
                close(topic, w, now);
            }
            w.partitions = partitions;
            w.hit.set(partition);
            if (w.keys.size() < MAX_KEYS) {
                w.keys.add(keyHash);
            }
        }
    }

    /** Idle partitions per topic as of each topic's last closed window (0: every partition got batches, or too few files to tell). */
    Map<String, Integer> idlePartitions() {
        return Map.copyOf(idle);
    }

    private void close(String topic, Window w, long now) {
        int used = w.hit.cardinality();
        int n = w.keys.size() >= w.partitions && w.partitions > 0 ? Math.max(0, w.partitions - used) : 0;
        Integer before = idle.put(topic, n);
        if (n > 0 && ((before == null || before != n) || now - w.warnedAt >= WARN_AGAIN_NANOS)) {
            w.warnedAt = now;
            LOG.warn("topic {}: the last minute's batches of {} files went to {} of its {} partitions ({} idle). The source "
                    + "partitioner keeps each file in the partition its key hashes to, so with few files per partition some get "
                    + "none: add files or partitions, or use partitioner round-robin or load-aware (no per-file order)",
                    topic, w.keys.size() >= MAX_KEYS ? MAX_KEYS + "+" : w.keys.size(), used, w.partitions, n);
        }
        w.start = now;
        w.hit.clear();
        w.keys.clear();
    }

    private static final class Window {
        long start;
        long warnedAt = Long.MIN_VALUE / 2;
        int partitions;
        final BitSet hit = new BitSet();
        final Set<Integer> keys = new HashSet<>();

        Window(long start) {
            this.start = start;
        }
    }
}
