package io.datastream.router.kafka;

import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.frame.AckStatus;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;

/** What the agent is told when Kafka did not take a batch. */
public final class KafkaOutcomes {
    /** An ACK status and error code with a message for the agent. */
    public record Outcome(AckStatus status, ErrorCode code, String message) {
    }

    private KafkaOutcomes() {
    }

    /**
     * Timeouts and retriable errors: RETRY_LATER with DOWNSTREAM_UNAVAILABLE (the agent re-sends;
     * nothing is lost). A record too large: REJECTED with RECORD_TOO_LARGE. An unknown or
     * forbidden topic: REJECTED with TOPIC_NOT_ALLOWED. Anything else did not store the batch
     * either: RETRY_LATER with INTERNAL.
     */
    public static Outcome classify(Throwable e) {
        String msg = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (e instanceof TimeoutException) {
            return new Outcome(AckStatus.RETRY_LATER, ErrorCode.DOWNSTREAM_UNAVAILABLE, "Kafka did not acknowledge in time: " + msg);
        }
        if (e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException) {
            return new Outcome(AckStatus.REJECTED, ErrorCode.RECORD_TOO_LARGE, msg);
        }
        if (e instanceof AuthorizationException || e instanceof InvalidTopicException) {
            return new Outcome(AckStatus.REJECTED, ErrorCode.TOPIC_NOT_ALLOWED, msg);
        }
        if (e instanceof RetriableException) {
            return new Outcome(AckStatus.RETRY_LATER, ErrorCode.DOWNSTREAM_UNAVAILABLE, msg);
        }
        if (e instanceof IllegalStateException) {
            // the producer was closed: the router is shutting down
            return new Outcome(AckStatus.RETRY_LATER, ErrorCode.SHUTTING_DOWN, msg);
        }
        return new Outcome(AckStatus.RETRY_LATER, ErrorCode.INTERNAL, msg);
    }
}
