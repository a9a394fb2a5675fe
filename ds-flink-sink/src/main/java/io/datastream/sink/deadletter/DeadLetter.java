package io.datastream.sink.deadletter;

import io.datastream.sink.source.KafkaRecord;

/**
 * A Kafka record the job could not turn into lines, with where it came from and why.
 *
 * @param stage    {@code parse} (not a valid envelope) or {@code decode} (the payload does not decompress or add up)
 * @param error    the reason, as the protocol reported it
 * @param value    the record value exactly as read
 */
public record DeadLetter(String topic, int partition, long offset, long timestamp, String stage, String error, byte[] value) {
    public static final String STAGE_PARSE = "parse";
    public static final String STAGE_DECODE = "decode";

    public static DeadLetter of(KafkaRecord record, String stage, String error) {
        return new DeadLetter(record.topic(), record.partition(), record.offset(), record.timestamp(), stage,
                error == null ? "unknown error" : error, record.value());
    }
}
