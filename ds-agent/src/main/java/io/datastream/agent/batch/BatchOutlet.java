package io.datastream.agent.batch;

/** Where the tailer hands built batches: the shipper, or a test double that acknowledges them. */
public interface BatchOutlet {
    /**
     * Takes ownership of {@code batch}; the caller has already taken its room in the window.
     * Never blocks.
     */
    void submit(OutBatch batch);
}
