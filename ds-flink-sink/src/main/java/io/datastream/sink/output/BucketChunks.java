package io.datastream.sink.output;

import io.datastream.protocol.batch.Batch;
import io.datastream.sink.config.LineFormat;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The kept lines of one batch, cut into one {@link OutputChunk} per time bucket: each line goes
 * to the bucket of its own event time. Usually a batch is one bucket (one chunk, as before event
 * times); a batch spanning an hour boundary or a backfill of mixed times gives several. One
 * {@link ChunkBuilder} per bucket, reused batch after batch. Single-threaded.
 */
public final class BucketChunks {
    /** Builders kept for the next batch; more are dropped after a batch that needed them. */
    private static final int KEEP = 4;
    private static final long NO_KEY = Long.MIN_VALUE;

    private final LineFormat format;
    private final TimeBuckets buckets;
    private ChunkBuilder[] builders = new ChunkBuilder[KEEP];
    private String[] bucketIds = new String[KEEP];
    private long[] times = new long[KEEP];
    private int used;
    private Batch batch;
    private long lastKey;
    private int lastSlot;
    private int lines;
    private long size;

    public BucketChunks(LineFormat format, TimeBuckets buckets) {
        this.format = format;
        this.buckets = buckets;
    }

    /** Starts the chunks of {@code batch}. */
    public void begin(Batch b) {
        batch = b;
        used = 0;
        lastKey = NO_KEY;
        lines = 0;
        size = 0;
    }

    /**
     * Appends a line to the chunk of the bucket of {@code eventTime} (epoch millis; 0 or less:
     * no time, the bucket of the processing time when written).
     */
    public void append(long offset, ByteBuf src, int index, int length, long eventTime) {
        int slot = slotOf(eventTime); // may grow the arrays: read builders after it
        ChunkBuilder c = builders[slot];
        int before = c.size();
        c.append(offset, src, index, length);
        size += c.size() - before;
        lines++;
    }

    /** Lines appended since {@link #begin}. */
    public int lines() {
        return lines;
    }

    /** Bytes formatted since {@link #begin}. */
    public long size() {
        return size;
    }

    /** Number of buckets (chunks) so far. */
    public int buckets() {
        return used;
    }

    /** Hands out one chunk per bucket, in the order the buckets first appeared in the batch. */
    public void emit(String taskId, Consumer<OutputChunk> out) {
        for (int i = 0; i < used; i++) {
            out.accept(builders[i].build(taskId, times[i]));
        }
        if (builders.length > KEEP) {
            builders = Arrays.copyOf(builders, KEEP);
            bucketIds = Arrays.copyOf(bucketIds, KEEP);
            times = Arrays.copyOf(times, KEEP);
        }
        used = 0;
    }

    private int slotOf(long eventTime) {
        long key = eventTime > 0 ? buckets.key(eventTime) : NO_KEY + 1;
        if (key == lastKey) {
            return lastSlot;
        }
        String id = eventTime > 0 ? buckets.format(eventTime) : "";
        int slot = -1;
        for (int i = 0; i < used; i++) {
            if (bucketIds[i].equals(id)) {
                slot = i;
                break;
            }
        }
        if (slot < 0) {
            slot = newSlot(id, eventTime);
        }
        lastKey = key;
        lastSlot = slot;
        return slot;
    }

    private int newSlot(String id, long eventTime) {
        if (used == builders.length) {
            builders = Arrays.copyOf(builders, used * 2);
            bucketIds = Arrays.copyOf(bucketIds, used * 2);
            times = Arrays.copyOf(times, used * 2);
        }
        if (builders[used] == null) {
            builders[used] = new ChunkBuilder(format);
        }
        builders[used].begin(batch);
        bucketIds[used] = id;
        times[used] = eventTime > 0 ? eventTime : 0;
        return used++;
    }
}
