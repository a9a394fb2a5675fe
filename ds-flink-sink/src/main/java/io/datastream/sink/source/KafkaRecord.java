package io.datastream.sink.source;

/**
 * One Kafka record as the source hands it on: where it was read (for dead letters and
 * debugging) and its value, the envelope bytes.
 *
 * @param timestamp the record's Kafka timestamp, epoch millis
 * @param value     the record value; never null (an absent value is an empty array)
 */
public record KafkaRecord(String topic, int partition, long offset, long timestamp, byte[] value) {
}
