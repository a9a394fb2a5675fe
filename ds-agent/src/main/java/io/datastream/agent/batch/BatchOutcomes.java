package io.datastream.agent.batch;

/**
 * How each built batch ends, told by the shipper on its thread: acknowledged OK, or discarded
 * unacknowledged (the tailer reads its lines again later, into new batches, or after a restart).
 * The agent's minute reports count with it ({@code io.datastream.agent.report}).
 */
public interface BatchOutcomes {
    /** No one listens. */
    BatchOutcomes NONE = new BatchOutcomes() {
        @Override
        public void acked(OutBatch b) {
        }

        @Override
        public void discarded(OutBatch b) {
        }
    };

    /** A router acknowledged the batch OK (Kafka has it). */
    void acked(OutBatch b);

    /** The batch was dropped without an OK acknowledgement; its lines will be read again. */
    void discarded(OutBatch b);
}
