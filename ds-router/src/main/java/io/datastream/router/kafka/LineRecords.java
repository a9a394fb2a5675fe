package io.datastream.router.kafka;

import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.batch.Batch;
import io.datastream.protocol.batch.RecordCursor;
import io.datastream.protocol.codec.CodecSet;
import io.netty.buffer.PooledByteBufAllocator;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/** Writes a batch's lines as records with {@link LineHeaders}; one sender thread owns it (and its codecs). */
final class LineRecords implements AutoCloseable {
    private final CodecSet codecs = new CodecSet();

    /** Sends every line of the delivery's batch to {@code partition}. */
    void send(Producer<byte[], byte[]> producer, Delivery d, int partition, byte[] key, LinesAck ack) throws CorruptBatchException {
        Batch b = d.batch();
        Header[] common = LineHeaders.common(b);
        try (RecordCursor c = b.openRecords(codecs, PooledByteBufAllocator.DEFAULT)) {
            while (c.next()) {
                ack.sending();
                producer.send(new ProducerRecord<>(d.topic(), partition, null, key, c.contentBytes(), LineHeaders.of(common, c.offset())), ack);
            }
        }
    }

    @Override
    public void close() {
        codecs.close();
    }
}
