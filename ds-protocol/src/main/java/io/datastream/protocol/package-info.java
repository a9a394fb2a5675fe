/**
 * The ds protocol shared by agents, routers and the Flink sink.
 *
 * <p>docs/protocol.md is the normative specification; the classes here implement it:
 * {@link io.datastream.protocol.frame} holds the frames and the Netty codec of the TCP
 * protocol, {@link io.datastream.protocol.batch} the batch format (the bytes that travel in a
 * BATCH frame and, unchanged, as one Kafka record), {@link io.datastream.protocol.codec} the
 * compression codecs and {@link io.datastream.protocol.envelope} the Kafka serializer,
 * deserializer and line reader for downstream consumers.
 *
 * <p>Faults caused by bytes from the outside are always a subclass of
 * {@link io.datastream.protocol.ProtocolException}, carrying an {@link io.datastream.protocol.ErrorCode}.
 */
package io.datastream.protocol;
