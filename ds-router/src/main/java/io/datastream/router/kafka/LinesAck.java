package io.datastream.router.kafka;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Waits for every record of a lines-mode batch. The count starts at one (the batch itself, taken
 * away by {@link #seal()} once every record was handed to the producer), so the batch cannot
 * complete while its records are still being sent.
 */
final class LinesAck implements Callback {
    /** Called once: with the records sent and null, or with the first error. */
    interface Done {
        void done(int records, Throwable error);
    }

    private final Done done;
    private final AtomicInteger outstanding = new AtomicInteger(1);
    private final AtomicReference<Throwable> error = new AtomicReference<>();
    private volatile int records;

    LinesAck(Done done) {
        this.done = done;
    }

    /** A record is about to be sent (sender thread). */
    void sending() {
        records++;
        outstanding.incrementAndGet();
    }

    void failed(Throwable e) {
        error.compareAndSet(null, e);
    }

    /** Every record was handed over (or sending stopped). */
    void seal() {
        countDown();
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception e) {
        if (e != null) {
            failed(e);
        }
        countDown();
    }

    private void countDown() {
        if (outstanding.decrementAndGet() == 0) {
            done.done(records, error.get());
        }
    }
}
