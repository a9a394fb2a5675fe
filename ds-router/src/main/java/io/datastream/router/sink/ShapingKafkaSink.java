package io.datastream.router.sink;

import io.datastream.protocol.batch.BatchBuilder;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.Codec;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.codec.CodecType;
import io.datastream.router.channel.ChannelConsumer;
import io.datastream.router.channel.ChannelRecord;
import io.datastream.router.event.ClientEventIds;
import io.datastream.router.event.Event;
import io.datastream.router.event.EventFormat;
import io.datastream.router.event.MalformedEventException;
import io.datastream.router.http.IntakeMetrics;
import io.datastream.router.kafka.PartitionStrategy;
import io.datastream.router.route.TopicTemplate;
import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka sink of a shaped channel: it packs events with the same value of the {@code groupBy}
 * header (and the same topic) into DSB1 batches of about {@code targetBytes}, across interleaved
 * events, so that each Kafka record holds one group. A group's partly filled batch waits at most
 * {@code maxDelayMs}; all partly filled batches together hold at most {@code maxBufferedBytes}
 * (past it the oldest group is written at once).
 *
 * <p><b>Identities.</b> Each (group, topic) of an incarnation is a file of its own for the Flink
 * sink ({@link EventIdentity#groupFingerprint}); an event's offset is its channel position, as
 * unshaped. In a shaped batch each record's gap reaches the next record's position (the positions
 * between belong to other groups, so to other files), and the last record's gap reaches the next
 * event of the group when the batch was cut because that event did not fit, else it is 1. The
 * Flink sink drops a line whose range [offset, offset + length + gap) its delivered ranges cover,
 * so a re-delivered event must never get a larger range than before: events written again
 * (after a failed write: from the committed position up to the furthest position taken; after a
 * restart: up to the channel's end when the sink started) are written <em>unshaped</em>, as runs
 * of consecutive positions of one group with gap 1, the smallest range an event can have. Those
 * replayed events are then dropped by the Flink sink if they were delivered before.
 *
 * <p><b>Commits.</b> The sink takes events in chunks and commits the end of a chunk once every
 * event of it and of the chunks before is acknowledged by Kafka (events waiting in a partly filled
 * batch hold the position back).
 */
public final class ShapingKafkaSink extends ChannelSink {
    private static final Logger LOG = LoggerFactory.getLogger(ShapingKafkaSink.class);
    private static final int MAX_IN_FLIGHT = 1024;
    /** Bytes a record takes in a batch besides its content, at most (two varints). */
    private static final int RECORD_OVERHEAD = 14;

    /**
     * @param groupBy          the header that groups events
     * @param targetBytes      uncompressed bytes of a Kafka record (a bigger single event makes a record of its own)
     * @param maxDelayMs       longest wait of an event in a partly filled batch
     * @param maxBufferedBytes bound of the events in partly filled batches
     * @param maxEventBytes    the largest event (JSON line) the channel holds
     */
    public record Shape(String groupBy, int targetBytes, long maxDelayMs, long maxBufferedBytes, int maxEventBytes) {
    }

    private final EventFormat format;
    private final TopicTemplate<Event> topic;
    private final EnvelopeWriter writer;
    private final EventIdentity.Sources sources;
    private final CodecType codecType;
    private final Shape shape;
    private final long maxDelayNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Taken chunks not committed yet, in order (under {@link #lock}). */
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    /** Partly filled batches by (topic, source), oldest first (the sink thread's). */
    private final LinkedHashMap<GroupKey, Group> groups = new LinkedHashMap<>();
    private long buffered;
    private volatile int bufferedEvents;
    /** Positions before this are written unshaped (the sink thread's). */
    private long replayEnd;
    private long takenEnd;
    private int outstanding;
    private boolean failed;
    private volatile boolean draining;

    private static final class Chunk {
        final long end;
        final int events;
        int pending;

        Chunk(long end, int events) {
            this.end = end;
            this.events = events;
            this.pending = events;
        }
    }

    private record Item(ChannelRecord record, byte[] line, String topic, BatchSource source, Chunk chunk) {
    }

    private record GroupKey(String topic, BatchSource source) {
    }

    private static final class Group {
        final List<Item> items = new ArrayList<>();
        long bytes;
        long firstNanos;
    }

    /** The chunks of a batch's events, as runs (chunk, count). */
    private static final class InFlight {
        final List<Chunk> chunks = new ArrayList<>(2);
        final List<Integer> counts = new ArrayList<>(2);
        int events;

        void add(Chunk c) {
            int last = chunks.size() - 1;
            if (last >= 0 && chunks.get(last) == c) {
                counts.set(last, counts.get(last) + 1);
            } else {
                chunks.add(c);
                counts.add(1);
            }
            events++;
        }
    }

    /**
     * @param topic     the topic template over event headers
     * @param sources   the identities of the channel's events
     * @param replayEnd positions before it may have been written by an earlier start: written unshaped
     */
    public ShapingKafkaSink(String name, String channel, ChannelConsumer consumer, EventFormat format, Producer<byte[], byte[]> producer,
                            TopicTemplate<Event> topic, PartitionStrategy strategy, EventIdentity.Sources sources, CodecType codec, Shape shape,
                            long replayEnd, IntakeMetrics.SinkCounters counters) {
        super(name, channel, consumer, counters);
        this.format = format;
        this.topic = topic;
        this.writer = new EnvelopeWriter(producer, strategy);
        this.sources = sources;
        this.codecType = codec;
        this.shape = shape;
        this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(shape.maxDelayMs());
        this.replayEnd = replayEnd;
    }

    @Override
    public ShapingKafkaSink start() {
        super.start();
        return this;
    }

    @Override
    protected void run() {
        try (CodecSet codecs = new CodecSet();
             BatchBuilder builder = new BatchBuilder(ByteBufAllocator.DEFAULT,
                     Math.max(shape.targetBytes(), shape.maxEventBytes() + 64), 1 << 20)) {
            Codec codec = codecs.get(codecType);
            long backoffMs = 200;
            while (!stopping) {
                if (awaitRecovery()) {
                    pause(backoffMs);
                    backoffMs = Math.min(backoffMs * 2, 5_000);
                    continue;
                }
                long now = System.nanoTime();
                if (!flushDue(now, builder, codec)) {
                    continue;
                }
                long waitNanos = TimeUnit.MILLISECONDS.toNanos(100);
                if (!groups.isEmpty()) {
                    Group oldest = groups.values().iterator().next();
                    waitNanos = Math.max(0, Math.min(waitNanos, oldest.firstNanos + maxDelayNanos - now));
                }
                List<ChannelRecord> records = consumer.take(4096, 4L << 20, waitNanos, TimeUnit.NANOSECONDS);
                if (!records.isEmpty() && accept(records, builder, codec)) {
                    backoffMs = 200;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("sink {} stopped by an unexpected error", name(), e);
        }
    }

    /** Writes the groups whose oldest event waited {@code maxDelayMs} (all of them when draining); false when a write failed. */
    private boolean flushDue(long now, BatchBuilder builder, Codec codec) {
        Iterator<Map.Entry<GroupKey, Group>> it = groups.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<GroupKey, Group> e = it.next();
            if (!draining && now - e.getValue().firstNanos < maxDelayNanos) {
                break; // the map is in the order of the groups' first events
            }
            it.remove();
            if (!writeGroup(e.getKey(), e.getValue(), -1, builder, codec)) {
                return false;
            }
        }
        return true;
    }

    /** Sorts the events of one take into groups (or writes them unshaped when replayed); false when a write failed. */
    private boolean accept(List<ChannelRecord> records, BatchBuilder builder, Codec codec) {
        Chunk chunk = new Chunk(records.get(records.size() - 1).nextPosition(), records.size());
        lock.lock();
        try {
            chunks.add(chunk);
        } finally {
            lock.unlock();
        }
        takenEnd = chunk.end;
        long now = System.nanoTime();
        List<Item> replay = null;
        for (ChannelRecord r : records) {
            Event event;
            byte[] line;
            String t;
            try {
                event = format.serializer().deserialize(r.data());
                line = format == EventFormat.JSON ? r.data() : EventFormat.JSON.serializer().serialize(event);
                t = topic.expand(event);
            } catch (MalformedEventException e) {
                throw new IllegalStateException("channel " + channel() + " holds an event that does not deserialize", e);
            }
            String value = event.header(shape.groupBy());
            BatchSource source = sources.ofGroup(r.incarnation(), t, value == null ? "" : value,
                    event.header(ClientEventIds.EVENT_ID) != null);
            Item item = new Item(r, line, t, source, chunk);
            if (r.position() < replayEnd) {
                if (replay == null) {
                    replay = new ArrayList<>();
                }
                replay.add(item);
                continue;
            }
            GroupKey key = new GroupKey(t, source);
            Group g = groups.get(key);
            // the group's batch is cut before the event that would take it past targetBytes
            long size = line.length + RECORD_OVERHEAD;
            if (g != null && g.bytes + size > shape.targetBytes()) {
                groups.remove(key);
                if (!writeGroup(key, g, r.position(), builder, codec)) {
                    return false;
                }
                g = null;
            }
            if (g == null) {
                g = new Group();
                g.firstNanos = now;
                groups.put(key, g);
            }
            g.items.add(item);
            g.bytes += size;
            buffered += size;
            bufferedEvents++;
        }
        if (replay != null && !writeReplay(replay, builder, codec)) {
            return false;
        }
        while (buffered > shape.maxBufferedBytes() && !groups.isEmpty()) {
            Iterator<Map.Entry<GroupKey, Group>> it = groups.entrySet().iterator();
            Map.Entry<GroupKey, Group> oldest = it.next();
            it.remove();
            if (!writeGroup(oldest.getKey(), oldest.getValue(), -1, builder, codec)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes one group's events as batches: each record's gap reaches the next record; the last
     * one's reaches {@code next} (the position of the group's next event, when known) or is 1.
     */
    private boolean writeGroup(GroupKey key, Group g, long next, BatchBuilder builder, Codec codec) {
        buffered -= g.bytes;
        bufferedEvents -= g.items.size();
        List<Item> items = g.items;
        InFlight f = new InFlight();
        builder.begin(key.source(), items.get(0).record().position());
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            ChannelRecord r = it.record();
            long to = i + 1 < items.size() ? items.get(i + 1).record().position() : next >= 0 ? next : r.nextPosition();
            long gap = to - r.position() - it.line().length;
            if (!builder.isEmpty() && !builder.fits(it.line().length, gap)) {
                // not reached (RECORD_OVERHEAD counts the largest varints); kept so a batch never overflows
                if (!send(key.topic(), builder, codec, f)) {
                    return false;
                }
                f = new InFlight();
                builder.begin(key.source(), r.position());
            }
            builder.tryAppend(it.line(), 0, it.line().length, gap, r.timeMillis());
            f.add(it.chunk());
        }
        return send(key.topic(), builder, codec, f);
    }

    /** Writes replayed events unshaped: runs of consecutive positions of one (topic, source), gap 1. */
    private boolean writeReplay(List<Item> items, BatchBuilder builder, Codec codec) {
        GroupKey run = null;
        InFlight f = null;
        for (Item it : items) {
            ChannelRecord r = it.record();
            BatchSource source = it.source();
            GroupKey key = new GroupKey(it.topic(), source);
            long gap = r.nextPosition() - r.position() - it.line().length;
            boolean contiguous = run != null && run.equals(key) && builder.endOffset() == r.position() && builder.fits(it.line().length, gap);
            if (run != null && !contiguous) {
                if (!send(run.topic(), builder, codec, f)) {
                    return false;
                }
                run = null;
            }
            if (run == null) {
                builder.begin(source, r.position());
                run = key;
                f = new InFlight();
            }
            builder.tryAppend(it.line(), 0, it.line().length, gap, r.timeMillis());
            f.add(it.chunk());
        }
        return run == null || send(run.topic(), builder, codec, f);
    }

    private boolean send(String topicName, BatchBuilder builder, Codec codec, InFlight f) {
        lock.lock();
        try {
            if (failed) {
                return false;
            }
            outstanding++;
        } finally {
            lock.unlock();
        }
        try {
            writer.send(topicName, builder, codec, e -> {
                if (e == null) {
                    acked(f);
                } else {
                    failed(e);
                }
            });
            return true;
        } catch (RuntimeException e) {
            failed(e);
            return false;
        }
    }

    private void acked(InFlight f) {
        lock.lock();
        try {
            outstanding--;
            counters.batches().inc();
            if (failed) {
                changed.signalAll();
                return;
            }
            for (int i = 0; i < f.chunks.size(); i++) {
                f.chunks.get(i).pending -= f.counts.get(i);
            }
            long commit = -1;
            int events = 0;
            while (!chunks.isEmpty() && chunks.peek().pending == 0) {
                Chunk head = chunks.poll();
                commit = head.end;
                events += head.events;
            }
            if (commit >= 0) {
                consumer.commit(commit);
                counters.events().inc(events);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void failed(Throwable e) {
        lock.lock();
        try {
            outstanding--;
            if (!failed) {
                LOG.warn("sink {}: Kafka did not take a batch ({}); rewinding to position {} and writing again", name(), e.toString(),
                        consumer.committedPosition());
            }
            failed = true;
            counters.failures().inc();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * When a write failed: waits for every callback, drops the partly filled batches, rewinds
     * (what was taken is written again, unshaped) and returns true (the caller pauses).
     */
    private boolean awaitRecovery() throws InterruptedException {
        lock.lock();
        try {
            while (outstanding >= MAX_IN_FLIGHT && !failed && !stopping) {
                changed.await(100, TimeUnit.MILLISECONDS);
            }
            if (!failed) {
                return false;
            }
            while (outstanding > 0 && !stopping) {
                changed.await(100, TimeUnit.MILLISECONDS);
            }
            chunks.clear();
            groups.clear();
            buffered = 0;
            bufferedEvents = 0;
            replayEnd = Math.max(replayEnd, takenEnd);
            consumer.rewind();
            failed = false;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void pause(long millis) throws InterruptedException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
            while (nanos > 0 && !stopping) {
                nanos = changed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops: writes the partly filled batches at once, waits up to {@code timeout} for them and
     * the batches in flight (the producer is closed by its owner, the router, afterwards).
     */
    @Override
    public void close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        draining = true;
        lock.lock();
        try {
            while ((outstanding > 0 || bufferedEvents > 0) && System.nanoTime() < deadline) {
                changed.awaitNanos(Math.max(1, Math.min(TimeUnit.MILLISECONDS.toNanos(50), deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopping = true;
            changed.signalAll();
            lock.unlock();
        }
        stopThread();
    }
}
