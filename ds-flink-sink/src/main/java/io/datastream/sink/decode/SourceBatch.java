package io.datastream.sink.decode;

import io.datastream.sink.source.KafkaRecord;

/**
 * A Kafka record whose value parsed as a valid envelope, with the key of its source file: the
 * agent and the file fingerprint. A line's identity is (task, agent, fingerprint, offset); the
 * stream is keyed by the file only, so every task reading a file meets in one keyed context
 * (and the key of release 0.1's state is kept); the task and the offset are the batch's.
 */
public record SourceBatch(String fileKey, KafkaRecord record) {

    /** The key of a source file: the agent id and the fingerprint in hex. */
    public static String fileKey(String agentId, long fingerprint) {
        return agentId + '/' + Long.toHexString(fingerprint);
    }
}
