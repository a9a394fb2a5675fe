package io.datastream.router.kafka;

import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.batch.Batch;
import io.datastream.protocol.frame.AckStatus;
import io.datastream.router.config.RouteMode;
import io.datastream.router.http.RouterMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that hands deliveries of one route mode to one producer. Event loops only enqueue
 * (bounded; a full queue is an OVERLOADED answer, decided by the caller), so a producer that
 * blocks (waiting for a topic's metadata while Kafka is down) blocks only this thread. When a
 * topic's metadata times out, the deliveries for it that were accepted before the timeout are
 * answered RETRY_LATER at once instead of each waiting for its own timeout.
 */
public final class KafkaSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSender.class);

    private final Producer<byte[], byte[]> producer;
    private final RouteMode mode;
    private final BlockingQueue<Delivery> queue;
    private final RouterMetrics metrics;
    private final DeliveryProgress progress;
    private final LongSupplier nanoClock;
    private final Thread thread;
    private final Map<String, Long> metadataFailedAt = new HashMap<>();
    private final LineRecords lines;
    private volatile boolean stopping;

    /** @param linesHeaders the record headers of lines mode ({@code kafka.linesHeaders}) */
    public KafkaSender(String threadName, Producer<byte[], byte[]> producer, RouteMode mode, List<String> linesHeaders, int queueCapacity,
                       RouterMetrics metrics, DeliveryProgress progress, LongSupplier nanoClock) {
        this.producer = producer;
        this.lines = new LineRecords(linesHeaders);
        this.mode = mode;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.metrics = metrics;
        this.progress = progress;
        this.nanoClock = nanoClock;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    public KafkaSender start() {
        thread.start();
        return this;
    }

    /** Queues a delivery; false when the queue is full or the sender stopped (the caller still owns it then). */
    public boolean offer(Delivery d) {
        if (stopping) {
            return false;
        }
        progress.started(); // before the sender can finish it
        if (!queue.offer(d)) {
            progress.finished();
            return false;
        }
        return true;
    }

    /** The producer this sender hands deliveries to (thread-safe; the HTTP intake's Kafka sinks share it). */
    public Producer<byte[], byte[]> producer() {
        return producer;
    }

    public int queued() {
        return queue.size();
    }

    private void run() {
        try {
            while (!stopping || !queue.isEmpty()) {
                Delivery d = queue.poll(100, TimeUnit.MILLISECONDS);
                if (d != null) {
                    send(d);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Delivery d;
            while ((d = queue.poll()) != null) {
                finish(d, AckStatus.RETRY_LATER, ErrorCode.SHUTTING_DOWN, "the router is shutting down", 0);
            }
            lines.close();
        }
    }

    private void send(Delivery d) {
        String topic = d.topic();
        Long failedAt = metadataFailedAt.get(topic);
        if (failedAt != null && d.acceptedNanos() - failedAt < 0) {
            finish(d, AckStatus.RETRY_LATER, ErrorCode.DOWNSTREAM_UNAVAILABLE, "Kafka metadata for topic '" + topic + "' is unavailable", 0);
            return;
        }
        try {
            List<PartitionInfo> partitions = producer.partitionsFor(topic);
            byte[] key = key(d.batch());
            int partition = d.strategy().partition(topic, partitions, key);
            int leader = leaderOf(partitions, partition);
            if (mode == RouteMode.ENVELOPE) {
                sendEnvelope(d, partition, leader, key);
            } else {
                sendLines(d, partition, leader, key);
            }
        } catch (TimeoutException e) {
            metadataFailedAt.put(topic, nanoClock.getAsLong());
            fail(d, e);
        } catch (CorruptBatchException e) {
            finish(d, AckStatus.REJECTED, e.code(), e.getMessage(), 0);
        } catch (RuntimeException e) {
            fail(d, e);
        }
    }

    private void sendEnvelope(Delivery d, int partition, int leader, byte[] key) {
        byte[] value = value(d.frame().content());
        d.releaseBytes();
        long start = nanoClock.getAsLong();
        producer.send(new ProducerRecord<>(d.topic(), partition, key, value), (md, e) -> {
            if (e == null) {
                acked(d, partition, leader, start);
                finish(d, AckStatus.OK, ErrorCode.NONE, "", 1);
            } else {
                fail(d, e);
            }
        });
    }

    private void sendLines(Delivery d, int partition, int leader, byte[] key) throws CorruptBatchException {
        long start = nanoClock.getAsLong();
        LinesAck ack = new LinesAck((records, error) -> {
            if (error == null) {
                acked(d, partition, leader, start);
                finish(d, AckStatus.OK, ErrorCode.NONE, "", records);
            } else {
                fail(d, error);
            }
        });
        boolean corrupt = false;
        try {
            lines.send(producer, d, partition, key, ack);
        } catch (CorruptBatchException e) {
            // thrown when the records are opened, before any was sent: send() answers REJECTED;
            // sealing would complete the batch as OK with no records first
            corrupt = true;
            throw e;
        } catch (RuntimeException e) {
            ack.failed(e);
        } finally {
            d.releaseBytes();
            if (!corrupt) {
                ack.seal();
            }
        }
    }

    private void acked(Delivery d, int partition, int leader, long start) {
        long latency = nanoClock.getAsLong() - start;
        metrics.ackLatency(latency);
        d.strategy().onAck(d.topic(), partition, leader, latency);
        progress.succeeded();
    }

    private void fail(Delivery d, Throwable e) {
        KafkaOutcomes.Outcome o = KafkaOutcomes.classify(e);
        if (o.status() == AckStatus.REJECTED) {
            LOG.warn("Kafka refused a batch for topic {}: {}", d.topic(), o.message());
        } else {
            LOG.debug("batch for topic {} not stored: {}", d.topic(), o.message());
        }
        finish(d, o.status(), o.code(), o.message(), 0);
    }

    private void finish(Delivery d, AckStatus status, ErrorCode code, String message, int records) {
        if (d.complete(status, code, message, records)) {
            progress.finished();
        }
    }

    /**
     * The batch bytes as a {@code byte[]} for the producer: the buffer's own array when it is
     * exactly the batch (the router's frame gate reads batches into such arrays), else a copy.
     */
    static byte[] value(ByteBuf content) {
        if (content.hasArray() && content.arrayOffset() == 0 && content.readerIndex() == 0
                && content.readableBytes() == content.array().length) {
            return content.array();
        }
        return ByteBufUtil.getBytes(content, content.readerIndex(), content.readableBytes(), false);
    }

    /** The record key: task id (UTF-8) then the file fingerprint (8 bytes, big-endian). */
    static byte[] key(Batch b) {
        byte[] task = b.taskId().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(task.length + 8).put(task).putLong(b.fingerprint()).array();
    }

    private static int leaderOf(List<PartitionInfo> partitions, int partition) {
        for (PartitionInfo p : partitions) {
            if (p.partition() == partition) {
                return p.leader() == null ? -1 : p.leader().id();
            }
        }
        return -1;
    }

    /**
     * Stops: deliveries still queued are answered RETRY_LATER (SHUTTING_DOWN), then the producer
     * closes, waiting up to {@code timeout} for the records it holds (those that do not make it
     * are answered RETRY_LATER too).
     */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    public void close(Duration timeout) {
        stopping = true;
        Delivery d;
        while ((d = queue.poll()) != null) {
            finish(d, AckStatus.RETRY_LATER, ErrorCode.SHUTTING_DOWN, "the router is shutting down", 0);
        }
        producer.close(timeout);
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
