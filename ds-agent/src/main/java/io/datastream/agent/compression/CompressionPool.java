package io.datastream.agent.compression;

import io.datastream.protocol.batch.BatchBuilder;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.codec.CodecType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Compresses batches off the thread that builds them, so that an agent catching up can use more
 * than one core: a bounded set of {@link BatchBuilder}s, worker threads that run
 * {@link BatchBuilder#finish}, and finished batches handed back in submission order (so in each
 * stream's order).
 *
 * <p>One owner thread (the tailer) calls {@link #acquire}, {@link #submit}, {@link #giveBack}
 * and {@link #drain}; the workers only compress. A builder travels owner -> worker -> owner through
 * a bounded queue and a result slot, so it is never touched by two threads at once.
 *
 * <pre>
 * BatchBuilder b = pool.acquire();        // null: maxInFlight batches are being compressed (try later)
 * b.begin(source, start); ... b.tryAppend(...);
 * pool.submit(b, codec, context);         // or pool.giveBack(b) when the batch stayed empty
 * pool.drain(done -> ...);                // on the owner's thread, e.g. when onReady woke it
 * </pre>
 *
 * <p>Bounded: at most {@code maxInFlight} batches exist, built or being compressed or waiting to
 * be drained; each builder holds its records array and its codec scratch buffer. With zero
 * threads a submit compresses at once on the owner's thread (the same order and API). With
 * threads, a submit finds a free worker or, when all are busy, compresses on the owner's thread
 * (so an owner catching up compresses too instead of waiting), and {@link #submitHere} always
 * compresses on the owner's thread (an owner with nothing more to read: no hand-over).
 *
 * @param <T> what the owner wants back with each batch (its stream, offsets, clock reading)
 */
public final class CompressionPool<T> implements AutoCloseable {
    /** A finished batch: the whole batch's bytes (the owner now owns them), or the error that stopped it. */
    public record Done<T>(T context, ByteBuf batch, long startOffset, long endOffset, int records, RuntimeException error) {
        public boolean failed() {
            return error != null;
        }
    }

    private record Job<T>(long seq, BatchBuilder builder, CodecType codec, T context) {
    }

    private static final Job<?> STOP = new Job<>(-1, null, CodecType.NONE, null);

    private final int maxInFlight;
    private final ArrayDeque<BatchBuilder> free = new ArrayDeque<>();
    private final List<BatchBuilder> all = new ArrayList<>();
    private final BlockingQueue<Job<T>> jobs;
    private final AtomicReferenceArray<Finished<T>> slots;
    private final List<Thread> workers = new ArrayList<>();
    private final Runnable onReady;
    private final CodecSet ownerCodecs;
    private long nextSubmit;
    private long nextDrain;
    /** Jobs put in {@link #jobs} (owner's count) and jobs the workers finished (theirs). */
    private long handedToWorkers;
    private final AtomicLong workersFinished = new AtomicLong();
    private long finishedHere;
    private boolean closed;
    /** The owner while it waits in {@link #drainAll}: a worker that finishes a batch unparks it. */
    private volatile Thread waiter;

    /** A result waiting in its slot, with the builder to give back. */
    private record Finished<T>(Done<T> done, BatchBuilder builder) {
    }

    /**
     * @param threads              compressing threads (0: compress on the owner's thread at submit)
     * @param maxInFlight          most batches built, compressing or waiting to be drained (>= 1)
     * @param maxUncompressedBytes per batch, as for {@link BatchBuilder}
     * @param maxRecords           per batch, as for {@link BatchBuilder}
     * @param onReady              called after each finished batch, on the thread that finished it (a worker, or
     *                             the owner with zero threads); it should wake the owner
     */
    public CompressionPool(int threads, int maxInFlight, ByteBufAllocator allocator, int maxUncompressedBytes, int maxRecords,
                           String threadName, Runnable onReady) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, was " + threads);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be >= 1, was " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
        this.onReady = Objects.requireNonNull(onReady, "onReady");
        this.jobs = new ArrayBlockingQueue<>(maxInFlight + threads);
        this.slots = new AtomicReferenceArray<>(maxInFlight);
        for (int i = 0; i < maxInFlight; i++) {
            BatchBuilder b = new BatchBuilder(allocator, maxUncompressedBytes, maxRecords);
            all.add(b);
            free.add(b);
        }
        this.ownerCodecs = new CodecSet(); // codecs of the owner's thread: zero threads, or submitHere
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::work, threadName + "-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    /** A free builder to fill, or null when {@code maxInFlight} batches are in flight (drain, then try again). */
    public BatchBuilder acquire() {
        checkOpen();
        return free.poll();
    }

    /** Returns a builder taken by {@link #acquire} that is not submitted (its batch stayed empty). */
    public void giveBack(BatchBuilder builder) {
        checkOpen();
        checkOurs(builder);
        free.add(builder);
    }

    /**
     * Hands a filled builder over to be finished with {@code codec}; it comes back through {@link #drain}.
     * A worker finishes it when one is free; when every worker is busy the owner finishes it here
     * at once (the caller runs it) rather than queueing it behind them: an owner that reads faster
     * than its workers compress then compresses too instead of waiting for a free builder, and the
     * batches it finishes are compressed while their bytes are still in its core's cache. Returns
     * whether it finished the batch here (then no {@code onReady} call follows: the owner drains).
     */
    public boolean submit(BatchBuilder builder, CodecType codec, T context) {
        checkOpen();
        checkOurs(builder);
        Job<T> job = new Job<>(nextSubmit++, builder, Objects.requireNonNull(codec, "codec"), context);
        if (workers.isEmpty()) {
            complete(job, ownerCodecs);
            onReady.run();
            return true;
        }
        if (busyWorkers() >= workers.size()) {
            complete(job, ownerCodecs);
            finishedHere++;
            return true;
        }
        handedToWorkers++;
        if (!jobs.offer(job)) {
            throw new IllegalStateException("more jobs than builders: a builder was submitted twice");
        }
        return false;
    }

    /**
     * Like {@link #submit}, but finishes the batch here on the owner's thread whatever the workers
     * are doing: for an owner that has nothing more of this batch's source to read (a tailer that
     * read all there was), for which a hand-over would only add two thread wake-ups and move the
     * batch's bytes to another core. The result goes the same way as any other, through
     * {@link #drain}, in submission order.
     */
    public void submitHere(BatchBuilder builder, CodecType codec, T context) {
        if (workers.isEmpty()) {
            submit(builder, codec, context);
            return;
        }
        checkOpen();
        checkOurs(builder);
        complete(new Job<>(nextSubmit++, builder, Objects.requireNonNull(codec, "codec"), context), ownerCodecs);
        finishedHere++; // drained by the owner: no onReady wake-up
    }

    /** Batches handed to the workers that they have not finished yet. */
    private int busyWorkers() {
        return (int) (handedToWorkers - workersFinished.get());
    }

    /** Batches finished on the owner's thread although the pool has workers (its own share of the compression). */
    public long finishedHere() {
        return finishedHere;
    }

    /** Batches submitted and not yet drained. */
    public int inFlight() {
        return (int) (nextSubmit - nextDrain);
    }

    /**
     * On the owner's thread: passes every finished batch that is next in submission order to
     * {@code sink}, and frees its builder. Returns how many it passed.
     */
    public int drain(Consumer<Done<T>> sink) {
        checkOpen();
        int n = 0;
        while (nextDrain < nextSubmit) {
            int slot = (int) (nextDrain % maxInFlight);
            Finished<T> f = slots.get(slot);
            if (f == null) {
                break;
            }
            slots.set(slot, null);
            nextDrain++;
            free.add(f.builder());
            n++;
            sink.accept(f.done());
        }
        return n;
    }

    /**
     * On the owner's thread: waits until every submitted batch is finished and passes them all to
     * {@code sink} in submission order (at shutdown, or to make a step deterministic in tests).
     */
    public void drainAll(Consumer<Done<T>> sink) {
        checkOpen();
        waiter = Thread.currentThread();
        try {
            drain(sink);
            while (nextDrain < nextSubmit) {
                LockSupport.parkNanos(this, 1_000_000L); // unparked by the worker; re-checks every millisecond anyway
                drain(sink);
            }
        } finally {
            waiter = null;
        }
    }

    private void work() {
        try (CodecSet codecs = new CodecSet()) {
            while (true) {
                Job<T> job = jobs.take();
                if (job == STOP) {
                    return;
                }
                complete(job, codecs);
                workersFinished.incrementAndGet();
                onReady.run();
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void complete(Job<T> job, CodecSet codecs) {
        BatchBuilder b = job.builder();
        Done<T> done;
        try {
            ByteBuf batch = b.finish(codecs.get(job.codec()));
            done = new Done<>(job.context(), batch, b.startOffset(), b.endOffset(), b.recordCount(), null);
        } catch (RuntimeException e) {
            done = new Done<>(job.context(), null, b.startOffset(), b.endOffset(), b.recordCount(), e);
        } catch (Error e) {
            // e.g. no direct memory left for the batch: its place must still be filled, or the owner waits forever
            done = new Done<>(job.context(), null, b.startOffset(), b.endOffset(), b.recordCount(),
                    new IllegalStateException("compression failed: " + e, e));
        }
        slots.set((int) (job.seq() % maxInFlight), new Finished<>(done, b));
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("compression pool is closed");
        }
    }

    private void checkOurs(BatchBuilder builder) {
        if (!all.contains(builder)) {
            throw new IllegalArgumentException("not a builder of this pool");
        }
    }

    /** Stops the workers (after the job at hand), releases undrained batches and the builders. */
    @Override
    @SuppressWarnings("unchecked")
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        jobs.clear();
        for (int i = 0; i < workers.size(); i++) {
            jobs.add((Job<T>) STOP);
        }
        boolean interrupted = false;
        for (Thread t : workers) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        for (int i = 0; i < maxInFlight; i++) {
            Finished<T> f = slots.getAndSet(i, null);
            if (f != null && f.done().batch() != null) {
                f.done().batch().release();
            }
        }
        for (BatchBuilder b : all) {
            b.close();
        }
        ownerCodecs.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
