package io.datastream.agent.batch;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The one buffer allocator of the agent: its batches (built on the tailer and the compressing
 * threads) and its router connection (frames, acknowledgements) take their direct memory from a
 * single pooled arena. Netty's defaults ({@link PooledByteBufAllocator#DEFAULT} for batches, its
 * adaptive allocator for channels) keep one arena per thread that allocates, up to two per core,
 * each holding 4 MiB chunks: an agent with one connection and a few batches in flight used about
 * 13 MiB of direct memory with them at a steady 10 MB/s, and about 4 MiB with one shared arena
 * (docs/benchmarks.md, "Footprint at 10 MB/s"). A batch is allocated once per compressed batch,
 * so the arena's lock is taken a few dozen times a second even while catching up.
 */
public final class AgentBuffers {
    /** Direct buffers only (no heap arena), one arena, Netty's default page size, chunk size and thread caches. */
    public static final ByteBufAllocator ALLOCATOR = new PooledByteBufAllocator(true, 0, 1, PooledByteBufAllocator.defaultPageSize(),
            PooledByteBufAllocator.defaultMaxOrder(), PooledByteBufAllocator.defaultSmallCacheSize(),
            PooledByteBufAllocator.defaultNormalCacheSize(), PooledByteBufAllocator.defaultUseCacheForAllThreads());

    private AgentBuffers() {
    }
}
