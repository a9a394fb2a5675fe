package io.datastream.control.ops.store;

import java.util.concurrent.CompletableFuture;

/**
 * What became of a report offered to the store.
 *
 * @param outcome  queued, or dropped because the writer's queue was full
 * @param accepted minutes queued for writing
 * @param skipped  minutes older than the per-minute retention, left out
 * @param written  completes when the report is in the database (only when queued)
 */
public record Ingest(Outcome outcome, int accepted, int skipped, CompletableFuture<Integer> written) {
    /** Whether the report was queued. */
    public enum Outcome {
        QUEUED,
        /** The writer's queue was full: the report was dropped and counted; send it again later (it replaces, never adds). */
        QUEUE_FULL
    }
}
