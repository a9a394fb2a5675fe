package io.datastream.router.route;

import io.datastream.protocol.batch.Batch;

/** A compiled rule expression, evaluated on a batch's header fields. */
@FunctionalInterface
public interface Condition {
    Condition ALWAYS = b -> true;

    boolean test(Batch batch);
}
