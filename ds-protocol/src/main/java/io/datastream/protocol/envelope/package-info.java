/**
 * The Kafka envelope: a batch exactly as the agent built it, as the value of one Kafka record.
 *
 * <p>{@link io.datastream.protocol.envelope.EnvelopeSerializer} and
 * {@link io.datastream.protocol.envelope.EnvelopeDeserializer} plug into Kafka clients;
 * {@link io.datastream.protocol.envelope.Envelope} is the reader API for downstream consumers
 * and the Flink sink: it validates a record and iterates its lines with their identities.
 * A record that fails validation is not thrown at the consumer: it comes back as a corrupt
 * envelope that keeps its raw bytes, so the consumer can count it and dead-letter it.
 */
package io.datastream.protocol.envelope;
