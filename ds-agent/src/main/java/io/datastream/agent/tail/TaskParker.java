package io.datastream.agent.tail;

import java.util.Map;

/** The shipper's way to park a task whose batch a router rejected, and to give back dropped data. */
public interface TaskParker {
    /**
     * Stops reading {@code taskId} for a while (send.parkRetryMs, or until the task changes)
     * and rewinds streams whose batches were dropped.
     *
     * @param epoch  the epoch of the rejected batch; batches of this epoch or older are dropped
     * @param rewind stream id to the start offset of its first dropped batch
     * @param error  why, for the task's status
     */
    void park(String taskId, long epoch, Map<Long, Long> rewind, String error);

    /** Batches built before the park arrived later and were dropped too: read them again later. */
    void rewind(String taskId, Map<Long, Long> rewind);
}
