package io.datastream.agent.checkpoint;

/** A stream's acknowledged offset: every byte before it is in Kafka. */
public record AckedOffset(String taskId, long streamId, long fingerprint, int fingerprintLength, long offset) {
}
