package io.datastream.agent.checkpoint;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpointer: every checkpoint.intervalMs it takes the new or moved streams the tailer pushed
 * into its {@link ProgressInbox} (in the agent; tests may still pull them) and the acknowledged
 * offsets the shipper pushed into its own since the previous round, merges them into its table
 * (offsets only grow), drops
 * entries not seen for checkpoint.retentionMs, and rewrites the checkpoint file when something
 * changed. The minute counts that come with them (lines read up to the counted offsets, lines
 * acknowledged up to the acknowledged offsets) are added up per task and minute and written in the
 * same file, for the last {@code countMinutes} minutes. Single-threaded (one scheduled thread).
 */
public final class Checkpointer {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

    private final CheckpointFile file;
    private final Supplier<CompletableFuture<Progress<StreamInfo>>> tailer;
    private final ProgressInbox<AckedOffset> shipper;
    private final long retentionMillis;
    private final int countMinutes;
    private final LongSupplier clock;
    private final Map<CheckpointEntry.Key, CheckpointEntry> entries = new LinkedHashMap<>();
    private final Map<MinuteCounts.Key, MinuteCounts> counts = new LinkedHashMap<>();
    private long openMinute;
    private java.util.function.LongConsumer afterWrite = m -> { };
    private CompletableFuture<Progress<StreamInfo>> pendingTailer;
    private boolean changed;
    private volatile long writes;
    private volatile int entryCount;
    private volatile long lastWriteMillis;
    private volatile String lastWriteError;

    /**
     * @param streams new or moved streams since the previous call (pulled from the tailer)
     * @param acked   where the shipper pushes the acknowledged offsets that moved
     */
    public Checkpointer(CheckpointFile file, List<CheckpointEntry> initial, Supplier<CompletableFuture<Collection<StreamInfo>>> streams,
                        ProgressInbox<AckedOffset> acked, long retentionMillis, LongSupplier clockMillis) {
        this(file, initial, List.of(), () -> streams.get().thenApply(Progress::of), acked, retentionMillis, 0, clockMillis);
    }

    /**
     * The same with the tailer's progress pushed too ({@link ProgressInbox#streams()}) instead of
     * pulled: what the agent uses.
     */
    public Checkpointer(CheckpointFile file, List<CheckpointEntry> initial, List<MinuteCounts> initialCounts,
                        ProgressInbox<StreamInfo> streams, ProgressInbox<AckedOffset> acked, long retentionMillis, int countMinutes,
                        LongSupplier clockMillis) {
        this(file, initial, initialCounts, () -> CompletableFuture.completedFuture(streams.take()), acked, retentionMillis,
                countMinutes, clockMillis);
    }

    /**
     * @param initialCounts the minute counts of the loaded file
     * @param countMinutes  minutes of counts kept (the reports' window; 0 keeps none)
     */
    public Checkpointer(CheckpointFile file, List<CheckpointEntry> initial, List<MinuteCounts> initialCounts,
                        Supplier<CompletableFuture<Progress<StreamInfo>>> streams, ProgressInbox<AckedOffset> acked,
                        long retentionMillis, int countMinutes, LongSupplier clockMillis) {
        this.file = file;
        this.tailer = streams;
        this.shipper = acked;
        this.retentionMillis = retentionMillis;
        this.countMinutes = countMinutes;
        this.clock = clockMillis;
        for (CheckpointEntry e : initial) {
            entries.put(e.key(), e);
        }
        for (MinuteCounts c : initialCounts) {
            count(c);
        }
        this.openMinute = -1;
    }

    /** The loaded file's open minute, kept until the tailer announces one. */
    public Checkpointer openMinute(long loaded) {
        this.openMinute = loaded;
        return this;
    }

    /** Told the open minute of each file written (the tailer waits for it before reading in a new minute). */
    public Checkpointer afterWrite(java.util.function.LongConsumer listener) {
        this.afterWrite = listener;
        return this;
    }

    /** One round: collect, merge, write if changed. Never throws. */
    public void tick() {
        try {
            collect(200);
            expire();
            if (changed) {
                write();
            } else if (openMinute >= 0) {
                afterWrite.accept(openMinute); // the file as it is holds it
            }
        } catch (RuntimeException e) {
            LOG.error("checkpoint round failed", e);
        }
    }

    /**
     * The last round, at shutdown: always writes (push the tailer's and the shipper's last progress
     * first; a pulled tailer is waited for longer).
     */
    public void finish() {
        collect(5_000);
        expire();
        write();
    }

    private void collect(long waitMillis) {
        // The shipper's progress first: an acknowledgement taken now was pushed after the tailer
        // pushed the read counts and counted offset of its batch (the tailer pushes them before it
        // hands a batch on), so the tailer's progress taken below holds them too, and a checkpoint
        // never holds lines acknowledged without their read count (a kill -9 would lose that count).
        Progress<AckedOffset> s = shipper.take();
        if (pendingTailer == null) {
            pendingTailer = tailer.get();
        }
        Progress<StreamInfo> t = await(pendingTailer, waitMillis);
        if (t != null || pendingTailer.isDone()) {
            pendingTailer = null;
        }
        if (t != null) {
            for (StreamInfo si : t.items()) {
                register(si);
            }
            t.counts().forEach(this::count);
            if (t.openMinute() != openMinute && t.openMinute() >= 0) {
                openMinute = t.openMinute();
                changed = true;
            }
        }
        if (s != null) {
            for (AckedOffset a : s.items()) {
                acked(a);
            }
            s.counts().forEach(this::count);
        }
    }

    private void count(MinuteCounts c) {
        if (countMinutes <= 0) {
            return;
        }
        counts.merge(c.key(), c, MinuteCounts::plus);
        changed = true;
    }

    private static <T> T await(CompletableFuture<T> f, long waitMillis) {
        try {
            return f.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            return null; // not ready (kept for the next round) or failed (asked again)
        }
    }

    void register(StreamInfo si) {
        CheckpointEntry.Key k = new CheckpointEntry.Key(si.taskId(), si.streamId());
        CheckpointEntry old = entries.get(k);
        long offset = old == null ? si.startOffset() : Math.max(old.offset(), si.startOffset());
        long counted = Math.max(old == null ? 0 : old.countedOffset(), si.countedOffset());
        List<CountedRange> ranges = si.countedOffset() >= counted && !si.ranges().isEmpty() ? si.ranges()
                : old == null ? List.of() : old.ranges();
        long kept = offset;
        CheckpointEntry e = new CheckpointEntry(si.taskId(), si.streamId(), si.fingerprint(), si.fingerprintLength(), offset,
                si.dev(), si.ino(), si.path(), si.lastSeenMillis(), counted, ranges.stream().filter(r -> r.endOffset() > kept).toList());
        if (!e.equals(old)) {
            entries.put(k, e);
            changed = true;
        }
    }

    void acked(AckedOffset a) {
        CheckpointEntry.Key k = new CheckpointEntry.Key(a.taskId(), a.streamId());
        CheckpointEntry old = entries.get(k);
        if (old == null) {
            entries.put(k, new CheckpointEntry(a.taskId(), a.streamId(), a.fingerprint(), a.fingerprintLength(), a.offset(), -1, -1, "",
                    clock.getAsLong()));
            changed = true;
        } else if (a.offset() > old.offset()) {
            entries.put(k, old.withOffset(a.offset()));
            changed = true;
        }
    }

    private void expire() {
        long now = clock.getAsLong();
        long oldestMinute = Math.floorDiv(now, 60_000L) - countMinutes;
        if (counts.keySet().removeIf(k -> k.minute() < oldestMinute)) {
            changed = true;
        }
        for (Iterator<CheckpointEntry> it = entries.values().iterator(); it.hasNext(); ) {
            if (now - it.next().lastSeenMillis() > retentionMillis) {
                it.remove();
                changed = true;
            }
        }
    }

    private void write() {
        try {
            file.write(new ArrayList<>(entries.values()), new ArrayList<>(counts.values()), openMinute, clock.getAsLong());
            changed = false;
            writes++;
            entryCount = entries.size();
            lastWriteMillis = clock.getAsLong();
            lastWriteError = null;
            afterWrite.accept(openMinute);
        } catch (IOException e) {
            if (lastWriteError == null) {
                LOG.error("cannot write checkpoints to {}: {}", file.path(), e.toString());
            }
            lastWriteError = e.toString();
        }
    }

    public long writes() {
        return writes;
    }

    public long lastWriteMillis() {
        return lastWriteMillis;
    }

    public String lastWriteError() {
        return lastWriteError;
    }

    /** Entries in the last written file. */
    public int entryCount() {
        return entryCount;
    }
}
