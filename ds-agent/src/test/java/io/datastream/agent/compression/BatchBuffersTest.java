package io.datastream.agent.compression;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** BatchBuffers: large batch buffers reuse a bounded set of blocks; everything else goes to the fallback allocator. */
class BatchBuffersTest {
    /** Instrumented: shows what went to the fallback and that it was all released. */
    private final UnpooledByteBufAllocator fallback = new UnpooledByteBufAllocator(true, true);
    private final BatchBuffers buffers = new BatchBuffers(fallback, 64 << 10, 2);

    @AfterEach
    void noLeaks() {
        buffers.clear();
        assertThat(fallback.metric().usedDirectMemory()).as("fallback direct bytes still allocated").isZero();
    }

    @Test
    void aReleasedBlockServesTheNextBatchAtItsExactSize() {
        ByteBuf a = buffers.directBuffer(58_000, 58_000);
        assertThat(a.capacity()).isEqualTo(58_000);
        assertThat(a.maxCapacity()).isEqualTo(58_000);
        a.writeBytes(new byte[58_000]);
        a.setByte(57_999, 7);
        assertThat(fallback.metric().usedDirectMemory()).as("not from the fallback").isZero();
        a.release();
        assertThat(buffers.free()).isEqualTo(1);

        ByteBuf b = buffers.directBuffer(64_000, 64_000);
        try {
            assertThat(buffers.allocated()).as("one block, reused").isEqualTo(1);
            assertThat(buffers.reused()).isEqualTo(1);
            assertThat(b.capacity()).isEqualTo(64_000);
            assertThat(b.writerIndex()).isZero();
            b.writeBytes(new byte[64_000]);
            assertThat(b.isWritable()).isFalse();
        } finally {
            b.release();
        }
    }

    @Test
    void smallLargeAndGrowableBuffersGoToTheFallback() {
        List<ByteBuf> bufs = List.of(buffers.directBuffer(1000, 1000), buffers.directBuffer(50_000, 50_000),
                buffers.directBuffer(100_000, 100_000), buffers.directBuffer(60_000), buffers.heapBuffer(60_000, 60_000));
        try {
            assertThat(buffers.allocated()).isZero();
            assertThat(fallback.metric().usedDirectMemory()).isEqualTo(1000 + 50_000 + 100_000 + 60_000);
            assertThat(fallback.metric().usedHeapMemory()).isEqualTo(60_000);
        } finally {
            bufs.forEach(ByteBuf::release);
        }
    }

    @Test
    void atMostKeepBlocksAreKeptAndBlocksComeBackFromAnyThread() throws Exception {
        List<ByteBuf> inUse = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            inUse.add(buffers.directBuffer(60_000, 60_000));
        }
        assertThat(buffers.allocated()).isEqualTo(5);
        Thread releaser = new Thread(() -> inUse.forEach(ByteBuf::release), "shipper-like");
        releaser.start();
        releaser.join();
        assertThat(buffers.free()).as("two kept, three freed").isEqualTo(2);
        ByteBuf again = buffers.directBuffer(60_000, 60_000);
        again.release();
        assertThat(buffers.allocated()).isEqualTo(5);
        assertThat(buffers.reused()).isEqualTo(1);
    }

    @Test
    void trimFreesTheBlocksThatStayedFreeSinceTheLastTrim() {
        BatchBuffers many = new BatchBuffers(fallback, 64 << 10, 10);
        try {
            List<ByteBuf> burst = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                burst.add(many.directBuffer(60_000, 60_000));
            }
            burst.forEach(ByteBuf::release);
            assertThat(many.free()).isEqualTo(6);
            many.trim(); // starts the first interval: nothing measured yet
            for (int round = 0; round < 3; round++) { // steady: two in flight at once
                ByteBuf a = many.directBuffer(60_000, 60_000);
                ByteBuf b = many.directBuffer(60_000, 60_000);
                a.release();
                b.release();
            }
            assertThat(many.trim()).as("four blocks were never needed").isEqualTo(4);
            assertThat(many.free()).isEqualTo(2);
            assertThat(many.trim()).as("nothing used since: the rest goes too").isEqualTo(2);
            assertThat(many.allocated()).isEqualTo(6);
        } finally {
            many.clear();
        }
    }

    @Test
    void aBufferWhoseCapacityChangedStillGivesItsBlockBackOnce() {
        ByteBuf a = buffers.directBuffer(60_000, 60_000);
        a.writeBytes(new byte[100]);
        a.capacity(100); // Netty copies into memory of its own; the block stays ours
        assertThat(a.capacity()).isEqualTo(100);
        a.release();
        assertThat(buffers.free()).isEqualTo(1);
        ByteBuf b = buffers.directBuffer(60_000, 60_000);
        ByteBuf c = buffers.directBuffer(60_000, 60_000);
        try {
            assertThat(buffers.allocated()).as("the block came back once: one reuse, one new").isEqualTo(2);
            b.setByte(0, 1);
            c.setByte(0, 2);
            assertThat(b.getByte(0)).as("two distinct blocks").isEqualTo((byte) 1);
        } finally {
            b.release();
            c.release();
        }
    }
}
