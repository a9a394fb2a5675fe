package io.datastream.agent.checkpoint;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * Where a producer pushes its {@link Progress} for the checkpointer: one slot that coalesces
 * every push not taken yet into one, item by item (one per key: the later wins, or as {@code
 * newer} says) and count by count (added up per task and minute), so that nothing pushed is lost
 * and the slot holds at most one item per stream and one count per task and minute, however
 * rarely the checkpointer takes it. Items and the counts that go with them stay together. Any
 * thread may push; the checkpointer takes. Lock-free: pushes merge into immutable copies.
 *
 * @param <T> what moves (acknowledged offsets, or the tailer's streams)
 */
public final class ProgressInbox<T> {
    private final Function<T, Object> key;
    private final BinaryOperator<T> newer;
    private final AtomicReference<Progress<T>> slot = new AtomicReference<>();

    /**
     * @param key   what makes two items the same (task and stream)
     * @param newer of two items with the same key, the one to keep (called with the older first)
     */
    public ProgressInbox(Function<T, Object> key, BinaryOperator<T> newer) {
        this.key = key;
        this.newer = newer;
    }

    /** For the shipper's acknowledged offsets: per stream, the largest offset. */
    public static ProgressInbox<AckedOffset> acked() {
        return new ProgressInbox<>(a -> new CheckpointEntry.Key(a.taskId(), a.streamId()),
                (older, later) -> later.offset() >= older.offset() ? later : older);
    }

    /**
     * For the tailer's streams, should it push them: per stream, the later one, with the larger
     * start and counted offsets and the ranges that go with the larger counted offset, so that
     * the checkpointer merges the one item as it would have merged each (see {@code
     * Checkpointer.register}).
     */
    public static ProgressInbox<StreamInfo> streams() {
        return new ProgressInbox<>(s -> new CheckpointEntry.Key(s.taskId(), s.streamId()), (older, later) -> {
            boolean laterRanges = later.countedOffset() >= older.countedOffset() && !later.ranges().isEmpty();
            return new StreamInfo(later.taskId(), later.streamId(), later.fingerprint(), later.fingerprintLength(),
                    Math.max(older.startOffset(), later.startOffset()), later.dev(), later.ino(), later.path(), later.lastSeenMillis(),
                    Math.max(older.countedOffset(), later.countedOffset()), laterRanges ? later.ranges() : older.ranges());
        });
    }

    /** Adds {@code p} to what waits for the checkpointer (any thread). */
    public void offer(Progress<T> p) {
        if (p.items().isEmpty() && p.counts().isEmpty() && p.openMinute() < 0) {
            return;
        }
        slot.getAndUpdate(waiting -> waiting == null ? p : merge(waiting, p));
    }

    /** Everything pushed since the last call, as one progress; null when nothing was. */
    public Progress<T> take() {
        return slot.getAndSet(null);
    }

    private Progress<T> merge(Progress<T> older, Progress<T> later) {
        Map<Object, T> items = new LinkedHashMap<>();
        add(items, older.items());
        add(items, later.items());
        Map<MinuteCounts.Key, MinuteCounts> counts = new LinkedHashMap<>();
        for (MinuteCounts c : older.counts()) {
            counts.merge(c.key(), c, MinuteCounts::plus);
        }
        for (MinuteCounts c : later.counts()) {
            counts.merge(c.key(), c, MinuteCounts::plus);
        }
        long openMinute = later.openMinute() >= 0 ? later.openMinute() : older.openMinute();
        return new Progress<>(java.util.List.copyOf(items.values()), java.util.List.copyOf(counts.values()), openMinute);
    }

    private void add(Map<Object, T> items, Collection<T> more) {
        for (T t : more) {
            items.merge(key.apply(t), t, newer);
        }
    }
}
