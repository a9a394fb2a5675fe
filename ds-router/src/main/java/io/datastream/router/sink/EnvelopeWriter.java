package io.datastream.router.sink;

import io.datastream.protocol.batch.BatchBuilder;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.Codec;
import io.datastream.router.kafka.PartitionStrategy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;

/**
 * Writes one finished DSB1 batch as one Kafka record, as the Kafka sinks do: the key is the
 * batch's task id followed by its fingerprint, the partition is the strategy's, and the
 * acknowledgement latency goes back to the strategy (load-aware). Thread-safe (the producer is).
 */
final class EnvelopeWriter {
    private final Producer<byte[], byte[]> producer;
    private final PartitionStrategy strategy;

    EnvelopeWriter(Producer<byte[], byte[]> producer, PartitionStrategy strategy) {
        this.producer = producer;
        this.strategy = strategy;
    }

    /**
     * Finishes {@code builder} with {@code codec} and sends it to {@code topic}; {@code done} is
     * called once, on the producer's thread, with null when Kafka acknowledged it or with the
     * failure. A RuntimeException is thrown, and {@code done} not called, when it cannot be handed
     * to the producer at all.
     */
    void send(String topic, BatchBuilder builder, Codec codec, Consumer<Exception> done) {
        byte[] value;
        ByteBuf batch = builder.finish(codec);
        try {
            value = ByteBufUtil.getBytes(batch);
        } finally {
            batch.release();
        }
        BatchSource source = builder.source();
        send(topic, source.taskId(), source.fingerprint(), value, done);
    }

    /** Sends a finished batch {@code value} of task {@code taskId} and file {@code fingerprint}, as {@link #send(String, BatchBuilder, Codec, Consumer)}. */
    void send(String topic, String taskId, long fingerprint, byte[] value, Consumer<Exception> done) {
        byte[] task = taskId.getBytes(StandardCharsets.UTF_8);
        byte[] key = ByteBuffer.allocate(task.length + 8).put(task).putLong(fingerprint).array();
        List<PartitionInfo> partitions = producer.partitionsFor(topic);
        int partition = strategy.partition(topic, partitions, key);
        int leader = leaderOf(partitions, partition);
        long start = System.nanoTime();
        producer.send(new ProducerRecord<>(topic, partition, key, value), (md, e) -> {
            if (e == null) {
                strategy.onAck(topic, partition, leader, System.nanoTime() - start);
            }
            done.accept(e);
        });
    }

    private static int leaderOf(List<PartitionInfo> partitions, int partition) {
        for (PartitionInfo p : partitions) {
            if (p.partition() == partition) {
                return p.leader() == null ? -1 : p.leader().id();
            }
        }
        return -1;
    }
}
