package io.datastream.router.kafka;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Waits for every record of a lines-mode batch. The count starts at one (the batch itself, taken
 * away by {@link #seal()} once every record was handed to the producer), so the batch cannot
 * complete while its records are still being sent. The sender thread adds the batch's record
 * count once, before the first record ({@link #expect}), and counts the records it hands over in a
 * plain field ({@link #sending}); {@link #seal()} takes away the ones it did not send (when sending
 * stopped early), so a batch costs two atomic updates on the sender thread, not one per line.
 */
final class LinesAck implements Callback {
    /** Called once: with the records sent and null, or with the first error. */
    interface Done {
        void done(int records, Throwable error);
    }

    private final Done done;
    private final AtomicInteger outstanding = new AtomicInteger(1);
    private final AtomicReference<Throwable> error = new AtomicReference<>();
    /** Sender thread only; published to {@link Done} by the update of {@link #outstanding} in {@link #seal()}. */
    private int expected;
    private int records;

    LinesAck(Done done) {
        this.done = done;
    }

    /** {@code n} records will be sent (sender thread, before the first of them). */
    void expect(int n) {
        expected += n;
        outstanding.addAndGet(n);
    }

    /**
     * A record was handed to the producer (sender thread, after {@code send} returned; at most
     * {@link #expect expected} of them). A {@code send} that throws calls no callback, so it is
     * not counted and {@link #seal()} does not wait for it.
     */
    void sending() {
        records++;
    }

    void failed(Throwable e) {
        error.compareAndSet(null, e);
    }

    /** Every record was handed over (or sending stopped: the expected ones not sent will not complete). */
    void seal() {
        countDown(expected - records + 1);
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception e) {
        if (e != null) {
            failed(e);
        }
        countDown(1);
    }

    private void countDown(int n) {
        if (outstanding.addAndGet(-n) == 0) {
            done.done(records, error.get());
        }
    }
}
