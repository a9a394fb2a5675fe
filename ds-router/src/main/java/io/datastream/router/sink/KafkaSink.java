package io.datastream.router.sink;

import io.datastream.protocol.batch.Batch;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a channel's events to Kafka as DSB1 batches (docs/protocol.md section 5), so that
 * ds-flink-sink and every envelope reader read them unchanged: each record value is one batch of
 * consecutive events of the channel going to one topic, each event one record (its JSON line,
 * gap 1) at its channel position. It commits a position once Kafka acknowledged every batch
 * before it; when a write fails it waits for what is in flight, rewinds to the committed position
 * and writes again after a pause (the same events get the same identities, so the Flink sink
 * drops what was written twice). One thread; the producer is the router's (shared, thread-safe).
 */
public final class KafkaSink extends ChannelSink {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);
    private static final int MAX_IN_FLIGHT = 1024;

    private final EventFormat format;
    private final TopicTemplate<Event> topic;
    private final EnvelopeWriter writer;
    private final EventIdentity.Sources sources;
    private final CodecType codecType;
    private final int maxBatchBytes;
    /** The channel holds agents' batches ({@link AgentBatches}): each is written unchanged. */
    private final boolean agentBatches;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private int outstanding;
    private boolean failed;

    private static final class InFlight {
        final long end;
        final int events;
        boolean done;

        InFlight(long end, int events) {
            this.end = end;
            this.events = events;
        }
    }

    /**
     * @param topic         the topic template over event headers ({@code ds-{header.logType}} or a fixed name)
     * @param sources       the identities of the channel's events ({@link EventIdentity.Sources})
     * @param maxBatchBytes the most uncompressed record bytes in one Kafka record
     */
    public KafkaSink(String name, String channel, ChannelConsumer consumer, EventFormat format, Producer<byte[], byte[]> producer,
                     TopicTemplate<Event> topic, PartitionStrategy strategy, EventIdentity.Sources sources, CodecType codec, int maxBatchBytes,
                     IntakeMetrics.SinkCounters counters) {
        this(name, channel, consumer, format, producer, topic, strategy, sources, codec, maxBatchBytes, false, counters);
    }

    private KafkaSink(String name, String channel, ChannelConsumer consumer, EventFormat format, Producer<byte[], byte[]> producer,
                      TopicTemplate<Event> topic, PartitionStrategy strategy, EventIdentity.Sources sources, CodecType codec, int maxBatchBytes,
                      boolean agentBatches, IntakeMetrics.SinkCounters counters) {
        super(name, channel, consumer, counters);
        this.format = format;
        this.topic = topic;
        this.writer = new EnvelopeWriter(producer, strategy);
        this.sources = sources;
        this.codecType = codec;
        this.maxBatchBytes = maxBatchBytes;
        this.agentBatches = agentBatches;
    }

    /**
     * A sink of a channel of agents' batches ({@code format: batches}): each batch is one Kafka
     * record, its bytes as the agent sent them (the key and partition as for every envelope
     * record), so its lines keep their identity; {@code topic} is expanded over the batch's headers.
     */
    public static KafkaSink forAgentBatches(String name, String channel, ChannelConsumer consumer, Producer<byte[], byte[]> producer,
                                            TopicTemplate<Event> topic, PartitionStrategy strategy, IntakeMetrics.SinkCounters counters) {
        return new KafkaSink(name, channel, consumer, EventFormat.BINARY, producer, topic, strategy, null, CodecType.NONE, 64 << 10, true,
                counters);
    }

    @Override
    public KafkaSink start() {
        super.start();
        return this;
    }

    @Override
    protected void run() {
        try (CodecSet codecs = new CodecSet();
             BatchBuilder builder = new BatchBuilder(ByteBufAllocator.DEFAULT, maxBatchBytes, 1 << 20)) {
            Codec codec = codecs.get(codecType);
            long backoffMs = 200;
            while (!stopping) {
                if (awaitRecovery()) {
                    pause(backoffMs);
                    backoffMs = Math.min(backoffMs * 2, 5_000);
                    continue;
                }
                List<ChannelRecord> records = consumer.take(4096, 4L << 20, 100, TimeUnit.MILLISECONDS);
                if (!records.isEmpty()) {
                    if (write(records, builder, codec)) {
                        backoffMs = 200;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("sink {} stopped by an unexpected error", name(), e);
        }
    }

    /** When a write failed: waits for every callback, rewinds, and returns true (the caller pauses). */
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
            inFlight.clear();
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

    /** Writes runs of consecutive events of one topic as batches; false when something failed at once. */
    private boolean write(List<ChannelRecord> records, BatchBuilder builder, Codec codec) {
        if (agentBatches) {
            return writeAgentBatches(records);
        }
        String runTopic = null;
        BatchSource runSource = null;
        int runEvents = 0;
        for (ChannelRecord r : records) {
            byte[] line;
            String t;
            try {
                Event event = topic.isConstant() && format == EventFormat.JSON ? null : format.serializer().deserialize(r.data());
                line = format == EventFormat.JSON ? r.data() : EventFormat.JSON.serializer().serialize(event);
                t = topic.expand(event);
            } catch (MalformedEventException e) {
                throw new IllegalStateException("channel " + channel() + " holds an event that does not deserialize", e);
            }
            BatchSource source = sources.of(r.incarnation(), ClientEventIds.inJson(line));
            long gap = r.nextPosition() - r.position() - line.length;
            boolean contiguous = runEvents > 0 && t.equals(runTopic) && source == runSource && builder.endOffset() == r.position()
                    && builder.fits(line.length, gap);
            if (runEvents > 0 && !contiguous) {
                if (!send(runTopic, builder, codec, runEvents)) {
                    return false;
                }
                runEvents = 0;
            }
            if (runEvents == 0) {
                builder.begin(source, r.position());
                runTopic = t;
                runSource = source;
            }
            builder.tryAppend(line, 0, line.length, gap, r.timeMillis());
            runEvents++;
        }
        return runEvents == 0 || send(runTopic, builder, codec, runEvents);
    }

    /** Each agent batch as one record, unchanged; false when something failed at once. */
    private boolean writeAgentBatches(List<ChannelRecord> records) {
        for (ChannelRecord r : records) {
            Batch b = AgentBatches.parse(r.data(), channel());
            String t = topic.expand(AgentBatches.headers(b));
            InFlight f = new InFlight(r.nextPosition(), b.recordCount());
            if (!track(f)) {
                return false;
            }
            try {
                writer.send(t, b.taskId(), b.fingerprint(), r.data(), e -> done(f, e));
            } catch (RuntimeException e) {
                failed(f, e);
                return false;
            }
        }
        return true;
    }

    /** Counts {@code f} in flight; false when a failure is being recovered from. */
    private boolean track(InFlight f) {
        lock.lock();
        try {
            if (failed) {
                return false;
            }
            inFlight.add(f);
            outstanding++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void done(InFlight f, Exception e) {
        if (e == null) {
            acked(f);
        } else {
            failed(f, e);
        }
    }

    private boolean send(String topicName, BatchBuilder builder, Codec codec, int events) {
        InFlight f = new InFlight(builder.endOffset(), events);
        if (!track(f)) {
            return false;
        }
        try {
            writer.send(topicName, builder, codec, e -> done(f, e));
            return true;
        } catch (RuntimeException e) {
            failed(f, e);
            return false;
        }
    }

    private void acked(InFlight f) {
        lock.lock();
        try {
            f.done = true;
            outstanding--;
            counters.batches().inc();
            if (failed) {
                changed.signalAll();
                return;
            }
            long commit = -1;
            int events = 0;
            while (!inFlight.isEmpty() && inFlight.peek().done) {
                InFlight head = inFlight.poll();
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

    private void failed(InFlight f, Throwable e) {
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
     * Stops: waits up to {@code timeout} for the batches in flight (the producer is closed by its
     * owner, the router, afterwards).
     */
    @Override
    public void close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (outstanding > 0 && System.nanoTime() < deadline) {
                changed.awaitNanos(Math.max(1, deadline - System.nanoTime()));
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
