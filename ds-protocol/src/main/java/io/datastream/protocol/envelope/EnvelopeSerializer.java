package io.datastream.protocol.envelope;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a batch buffer's readable bytes as a Kafka record value, unchanged (one copy into the
 * array Kafka needs). Does not release the buffer.
 */
public final class EnvelopeSerializer implements Serializer<ByteBuf> {
    @Override
    public byte[] serialize(String topic, ByteBuf batch) {
        return batch == null ? null : ByteBufUtil.getBytes(batch, batch.readerIndex(), batch.readableBytes(), false);
    }
}
