package io.datastream.protocol.envelope;

import io.datastream.protocol.ProtocolLimits;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a Kafka record value as an {@link Envelope}. Never throws for bad bytes (that would stop
 * the consumer): a corrupt record comes back as a corrupt envelope.
 */
public final class EnvelopeDeserializer implements Deserializer<Envelope> {
    private final ProtocolLimits limits;

    public EnvelopeDeserializer() {
        this(ProtocolLimits.DEFAULT);
    }

    public EnvelopeDeserializer(ProtocolLimits limits) {
        this.limits = limits;
    }

    @Override
    public Envelope deserialize(String topic, byte[] data) {
        return Envelope.parse(data, limits);
    }
}
