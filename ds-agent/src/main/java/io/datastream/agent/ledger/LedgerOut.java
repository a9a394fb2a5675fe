package io.datastream.agent.ledger;

import io.datastream.agent.batch.OutBatch;
import java.util.Map;

/**
 * What the ledger tells the outside, in the order it happens: a batch's end (whoever holds the
 * ledger frees its bytes and its room in the send window), and the tailer's orders (read a
 * stream again from an offset; park a task).
 */
public sealed interface LedgerOut {

    /** A router acknowledged the batch OK: its lines are in Kafka. */
    record Acked(OutBatch batch) implements LedgerOut {
    }

    /** The batch was dropped unacknowledged; its lines are read again (later, or after a restart). */
    record Discarded(OutBatch batch) implements LedgerOut {
    }

    /** Batches of the task were dropped: read each stream again from its offset. */
    record Rewind(String taskId, Map<Long, Long> offsets) implements LedgerOut {
        public Rewind {
            offsets = Map.copyOf(offsets);
        }
    }

    /**
     * A router rejected a batch of the task: stop reading it for a while and read the streams
     * again from the given offsets; batches of {@code epoch} or older are dropped.
     */
    record Park(String taskId, long epoch, Map<Long, Long> rewind, String error) implements LedgerOut {
        public Park {
            rewind = Map.copyOf(rewind);
        }
    }
}
