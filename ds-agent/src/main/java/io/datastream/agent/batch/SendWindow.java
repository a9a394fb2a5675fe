package io.datastream.agent.batch;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bound on batches built and not yet acknowledged: at most {@code maxBatches} batches and
 * {@code maxBytes} bytes (a single batch larger than maxBytes is let through when the window is
 * empty). The tailer takes room before it builds a batch; the shipper gives it back when the
 * batch is acknowledged or dropped, and wakes the tailer if it was waiting. Lock-free.
 */
public final class SendWindow {
    private final int maxBatches;
    private final long maxBytes;
    private final AtomicInteger batches = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicBoolean waiting = new AtomicBoolean();
    private volatile Runnable onRoom = () -> { };
    private volatile int routerMaxBatchBytes = Integer.MAX_VALUE;

    public SendWindow(int maxBatches, long maxBytes) {
        this.maxBatches = maxBatches;
        this.maxBytes = maxBytes;
    }

    /** Called (on the shipper's thread) when room comes back after {@link #hasRoom()} said no. */
    public void onRoom(Runnable r) {
        this.onRoom = r;
    }

    /** Whether one more batch may be built now. Remembers a "no" so that room coming back wakes the caller. */
    public boolean hasRoom() {
        int b = batches.get();
        if (b < maxBatches && (b == 0 || bytes.get() < maxBytes)) {
            return true;
        }
        waiting.set(true);
        // re-check: room may have come back between the read and the flag
        b = batches.get();
        if (b < maxBatches && (b == 0 || bytes.get() < maxBytes)) {
            waiting.set(false);
            return true;
        }
        return false;
    }

    /** A batch of {@code size} bytes was built. */
    public void take(int size) {
        batches.incrementAndGet();
        bytes.addAndGet(size);
    }

    /** A batch of {@code size} bytes was acknowledged or dropped. */
    public void give(int size) {
        batches.decrementAndGet();
        bytes.addAndGet(-size);
        if (waiting.get() && waiting.compareAndSet(true, false)) {
            onRoom.run();
        }
    }

    public int batches() {
        return batches.get();
    }

    public long bytes() {
        return bytes.get();
    }

    public int maxBatches() {
        return maxBatches;
    }

    /** The connected router's largest accepted batch (from WELCOME), so that batches are built to fit. */
    public void routerMaxBatchBytes(int bytes) {
        this.routerMaxBatchBytes = bytes;
    }

    public int routerMaxBatchBytes() {
        return routerMaxBatchBytes;
    }
}
