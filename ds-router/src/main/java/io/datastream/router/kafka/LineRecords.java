package io.datastream.router.kafka;

import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.batch.Batch;
import io.datastream.protocol.batch.RecordCursor;
import io.datastream.protocol.codec.CodecSet;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Writes a batch's lines as records with {@link LineHeaders}; one sender thread owns it (and its
 * codecs). Per line it allocates only what the record itself holds: the line's bytes (Kafka takes
 * a {@code byte[]}), its offset header and the record. The headers a batch's lines share are
 * built once per batch, in one array whose last slot takes each line's offset: the
 * {@link ProducerRecord} constructor copies the headers it is given into a list of its own, so the
 * array can be reused for the next line.
 */
final class LineRecords implements AutoCloseable {
    /**
     * Pooled heap buffers for the decompressed lines: batches arrive in heap arrays (see the
     * router's frame gate), and with heap input and output the codecs work on the arrays without
     * staging copies in direct memory.
     */
    private static final ByteBufAllocator HEAP = new PooledByteBufAllocator(false);
    private final CodecSet codecs = new CodecSet();
    private final List<String> headerNames;

    /** @param headerNames the headers to write ({@code kafka.linesHeaders}, holding {@code ds.offset}) */
    LineRecords(List<String> headerNames) {
        this.headerNames = LineHeaders.checked(headerNames);
    }

    /** Sends every line of the delivery's batch to {@code partition}. */
    void send(Producer<byte[], byte[]> producer, Delivery d, int partition, byte[] key, LinesAck ack) throws CorruptBatchException {
        Batch b = d.batch();
        String topic = d.topic();
        Header[] headers = LineHeaders.common(b, headerNames);
        List<Header> view = Arrays.asList(headers);
        int last = headers.length - 1;
        try (RecordCursor c = b.openRecords(codecs, HEAP)) {
            ack.expect(b.recordCount()); // the cursor checked that the payload holds exactly that many
            while (c.next()) {
                headers[last] = LineHeaders.offset(c.offset());
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, partition, null, key, c.contentBytes(), view);
                producer.send(r, ack);
                ack.sending(); // after: a send that throws (no callback then) is not waited for
            }
        }
    }

    @Override
    public void close() {
        codecs.close();
    }
}
