package io.datastream.agent.compression;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Direct memory for whole batches, reused: a request for a direct buffer of fixed size between seven
 * eighths of {@code bufferBytes} and {@code bufferBytes} (a full batch, e.g. of codec none) gets a buffer
 * of that exact size over a block of {@code bufferBytes} that goes back to a free list when the
 * batch is released (by the shipper, on its thread), for the next batch; everything else goes to
 * the {@code fallback} allocator.
 *
 * <p>Why: Netty's adaptive allocator (the agent's default) pools buffers only up to 16,896 bytes
 * when the heap is under 512 MiB, as the agent's is; a larger one gets a chunk of its own, new
 * direct memory that is zeroed and page-faulted in on every batch and freed when it is released
 * (about 6 % of the agent's CPU with codec none, in perf). A reused block costs neither.
 *
 * <p>Bounded: at most {@code keep} free blocks are kept ({@code keep * bufferBytes} bytes once a
 * burst has used that many at once); a block released while the list is full is freed at once, and
 * {@link #trim} frees the blocks that stayed unused since its last call. Blocks in use are batches,
 * bounded by the send window like any other. Thread-safe.
 */
public final class BatchBuffers extends AbstractByteBufAllocator {
    private final ByteBufAllocator fallback;
    private final int bufferBytes;
    private final ArrayBlockingQueue<ByteBuffer> free;
    private final AtomicLong allocated = new AtomicLong();
    private final AtomicLong reused = new AtomicLong();
    /** The fewest free blocks since the last {@link #trim}: that many were not needed. */
    private final AtomicInteger lowWater = new AtomicInteger();

    /**
     * @param bufferBytes the size of each block (the largest batch it serves)
     * @param keep        free blocks kept for reuse at most (>= 1)
     */
    public BatchBuffers(ByteBufAllocator fallback, int bufferBytes, int keep) {
        super(true);
        if (bufferBytes < 8 || keep < 1) {
            throw new IllegalArgumentException("bufferBytes must be >= 8 and keep >= 1, were " + bufferBytes + ", " + keep);
        }
        this.fallback = fallback;
        this.bufferBytes = bufferBytes;
        this.free = new ArrayBlockingQueue<>(keep);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        if (initialCapacity != maxCapacity || maxCapacity > bufferBytes || maxCapacity < bufferBytes - bufferBytes / 8) {
            return fallback.directBuffer(initialCapacity, maxCapacity);
        }
        ByteBuffer block = free.poll();
        if (block == null) {
            block = ByteBuffer.allocateDirect(bufferBytes);
            allocated.incrementAndGet();
        } else {
            reused.incrementAndGet();
        }
        lowWater.accumulateAndGet(free.size(), Math::min);
        block.clear().limit(maxCapacity);
        return new Reused(block, maxCapacity);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return fallback.heapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return true;
    }

    /** Blocks allocated since creation (each is zeroed by the JDK once). */
    public long allocated() {
        return allocated.get();
    }

    /** Buffers served from a free block since creation. */
    public long reused() {
        return reused.get();
    }

    /** Free blocks kept now. */
    public int free() {
        return free.size();
    }

    /**
     * Frees as many free blocks as stayed unused since the last call (the free list's low-water
     * mark), so that after a burst the blocks kept shrink back to what the batches in flight use.
     * Returns how many it freed. Called now and then (the tailer: every few seconds).
     */
    public int trim() {
        int n = Math.min(lowWater.get(), free.size());
        int freed = 0;
        for (ByteBuffer b; freed < n && (b = free.poll()) != null; freed++) {
            PlatformDependent.freeDirectBuffer(b);
        }
        lowWater.set(free.size());
        return freed;
    }

    /** Frees the kept blocks (the blocks still in use are freed or kept when released). */
    public void clear() {
        for (ByteBuffer b; (b = free.poll()) != null; ) {
            PlatformDependent.freeDirectBuffer(b);
        }
    }

    /** A batch buffer over the first {@code length} bytes of a block; the block goes back on release. */
    private final class Reused extends UnpooledDirectByteBuf {
        private ByteBuffer block;

        Reused(ByteBuffer block, int length) {
            super(BatchBuffers.this, block, length); // a slice of block[0, length), not freed by Netty
            this.block = block;
            clear(); // a wrapped buffer starts out readable; a new one starts empty
        }

        @Override
        protected void deallocate() {
            super.deallocate(); // frees only memory Netty allocated itself (after a capacity change)
            ByteBuffer b = block;
            block = null;
            if (b != null && !free.offer(b)) {
                PlatformDependent.freeDirectBuffer(b);
            }
        }
    }
}
