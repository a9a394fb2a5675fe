package io.datastream.sink.decode;

import io.datastream.sink.source.KafkaRecord;

/**
 * A Kafka record whose value parsed as a valid envelope, with the key of its source file:
 * the agent and the file fingerprint, the first two parts of every line's identity.
 */
public record SourceBatch(String fileKey, KafkaRecord record) {

    /** The key of a source file: the agent id and the fingerprint in hex. */
    public static String fileKey(String agentId, long fingerprint) {
        return agentId + '/' + Long.toHexString(fingerprint);
    }
}
