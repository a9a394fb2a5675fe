package io.datastream.agent.batch;

/** Where the tailer hands built batches: the shipper, or a test double that acknowledges them. */
public interface BatchOutlet {
    /**
     * Takes ownership of {@code batch}; the caller has already taken its room in the window.
     * Never blocks.
     */
    void submit(OutBatch batch);

    /**
     * Takes ownership of every batch of {@code batches}, in their order, like {@link #submit} one by
     * one; the list stays the caller's. Never blocks. The shipper takes them in one hand-over (one
     * wake-up of its thread, one write to the router for all of them).
     */
    default void submitAll(java.util.List<OutBatch> batches) {
        for (OutBatch b : batches) {
            submit(b);
        }
    }
}
