package io.datastream.agent.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datastream.protocol.ProtocolLimits;
import io.datastream.protocol.batch.Batch;
import io.datastream.protocol.batch.BatchBuilder;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.batch.RecordCursor;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.codec.CodecType;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CompressionPool: batches finished by its workers come back whole, in submission order, within its bounds. */
class CompressionPoolTest {
    /** Instrumented: its metric shows any batch buffer or scratch buffer not released. */
    private final GatedAllocator alloc = new GatedAllocator();

    /**
     * Holds a compressing worker inside its batch's allocation while closed, so that a test can
     * make "every worker is busy" happen without the clock. The owner's thread never waits here.
     */
    private static final class GatedAllocator extends AbstractByteBufAllocator {
        /** Where the bytes come from; instrumented, for {@link #noLeaks}. */
        final UnpooledByteBufAllocator unpooled = new UnpooledByteBufAllocator(true, true);
        private final CountDownLatch stopped = new CountDownLatch(1);
        private volatile CountDownLatch gate = new CountDownLatch(0);

        void holdWorkers() {
            gate = new CountDownLatch(1);
        }

        void releaseWorkers() {
            gate.countDown();
        }

        void awaitWorkerStopped() throws InterruptedException {
            stopped.await();
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            if (Thread.currentThread().getName().startsWith("test-compress")) {
                CountDownLatch g = gate;
                if (g.getCount() > 0) {
                    stopped.countDown();
                    try {
                        g.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            return unpooled.directBuffer(initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            return unpooled.heapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }
    private final CodecSet codecs = new CodecSet();
    /** Released once per finished batch by the pool's onReady: the test waits on it, never on the clock. */
    private final Semaphore ready = new Semaphore(0);

    private record Ctx(int stream, int n) {
    }

    @AfterEach
    void noLeaks() {
        codecs.close();
        assertThat(alloc.unpooled.metric().usedDirectMemory()).as("direct bytes still allocated").isZero();
    }

    private CompressionPool<Ctx> pool(int threads, int maxInFlight) {
        return new CompressionPool<>(threads, maxInFlight, alloc, 1 << 20, 100_000, "test-compress", ready::release);
    }

    private static BatchSource source(int stream) {
        return new BatchSource("task", "agent", "host", "/var/log/s" + stream + ".log", 1000 + stream, Map.of());
    }

    private static String line(int stream, int n, int i) {
        return "stream " + stream + " batch " + n + " line " + i + " " + "x".repeat((n * 31 + i * 7) % 200);
    }

    /** Appends {@code lines} lines to a batch of {@code stream} starting at {@code start}; returns its end offset. */
    private static long fill(BatchBuilder b, int stream, int n, long start, int lines) {
        b.begin(source(stream), start);
        for (int i = 0; i < lines; i++) {
            byte[] l = line(stream, n, i).getBytes(StandardCharsets.US_ASCII);
            assertThat(b.tryAppend(l, 0, l.length, 1, 1000 + n)).isTrue();
        }
        return b.endOffset();
    }

    private List<String> lines(CompressionPool.Done<Ctx> d) throws Exception {
        List<String> out = new ArrayList<>();
        try (RecordCursor c = Batch.parse(d.batch(), ProtocolLimits.DEFAULT).openRecords(codecs, alloc)) {
            while (c.next()) {
                out.add(new String(c.contentBytes(), StandardCharsets.US_ASCII));
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3})
    void batchesComeBackWholeAndInSubmissionOrder(int threads) throws Exception {
        List<CompressionPool.Done<Ctx>> done = new ArrayList<>();
        long[] offsets = new long[2];
        int batches = 60;
        try (CompressionPool<Ctx> pool = pool(threads, 4)) {
            int submitted = 0;
            while (submitted < batches) {
                BatchBuilder b = pool.acquire();
                if (b == null) {
                    // all 4 in flight: take the finished ones; if the first is still compressing, wait for a worker
                    if (pool.drain(done::add) == 0) {
                        ready.acquire();
                    }
                    continue;
                }
                int stream = submitted % 2;
                long start = offsets[stream];
                offsets[stream] = fill(b, stream, submitted, start, 50 + submitted);
                CodecType codec = CodecType.values()[submitted % CodecType.values().length];
                pool.submit(b, codec, new Ctx(stream, submitted));
                submitted++;
            }
            while (done.size() < batches) {
                if (pool.drain(done::add) == 0) {
                    ready.acquire(); // the next in order is on a worker (batches finished here need no wait)
                }
            }
            assertThat(pool.inFlight()).isZero();
        }
        long[] expectStart = new long[2];
        for (int n = 0; n < batches; n++) {
            CompressionPool.Done<Ctx> d = done.get(n);
            try {
                assertThat(d.failed()).isFalse();
                assertThat(d.context()).isEqualTo(new Ctx(n % 2, n));
                assertThat(d.startOffset()).as("per-stream order").isEqualTo(expectStart[n % 2]);
                assertThat(d.batch().capacity()).isEqualTo(d.batch().readableBytes());
                Batch batch = Batch.parse(d.batch(), ProtocolLimits.DEFAULT);
                assertThat(batch.codec()).isEqualTo(CodecType.values()[n % CodecType.values().length]);
                assertThat(batch.startOffset()).isEqualTo(d.startOffset());
                assertThat(batch.endOffset()).isEqualTo(d.endOffset());
                assertThat(d.records()).isEqualTo(50 + n);
                List<String> got = lines(d);
                assertThat(got).hasSize(50 + n);
                for (int i = 0; i < got.size(); i++) {
                    assertThat(got.get(i)).isEqualTo(line(n % 2, n, i));
                }
                expectStart[n % 2] = d.endOffset();
            } finally {
                d.batch().release();
            }
        }
    }

    @Test
    void atMostMaxInFlightBatchesExistAndAnEmptyBuilderGoesBack() throws Exception {
        try (CompressionPool<Ctx> pool = pool(1, 2)) {
            BatchBuilder a = pool.acquire();
            BatchBuilder b = pool.acquire();
            assertThat(a).isNotNull();
            assertThat(b).isNotNull().isNotSameAs(a);
            assertThat(pool.acquire()).as("both builders are out").isNull();
            pool.giveBack(b); // its batch stayed empty
            assertThat(pool.acquire()).isSameAs(b);
            fill(a, 0, 0, 0, 10);
            pool.submit(a, CodecType.LZ4, new Ctx(0, 0));
            pool.giveBack(b);
            assertThat(pool.acquire()).isSameAs(b);
            assertThat(pool.acquire()).as("one is being compressed, one is out").isNull();
            ready.acquire();
            List<CompressionPool.Done<Ctx>> done = new ArrayList<>();
            assertThat(pool.drain(done::add)).isEqualTo(1);
            done.get(0).batch().release();
            assertThat(pool.acquire()).as("drained: its builder is free again").isSameAs(a);
            assertThatThrownBy(() -> pool.giveBack(new BatchBuilder(alloc, 1024, 10)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void submitHereFinishesOnTheOwnersThreadWhateverTheWorkersDo() throws Exception {
        List<CompressionPool.Done<Ctx>> done = new ArrayList<>();
        try (CompressionPool<Ctx> pool = pool(1, 3)) {
            try {
                BatchBuilder a = pool.acquire();
                fill(a, 0, 0, 0, 10);
                pool.submitHere(a, CodecType.LZ4, new Ctx(0, 0));
                assertThat(pool.finishedHere()).as("idle pool: finished here").isEqualTo(1);
                assertThat(ready.availablePermits()).as("no worker involved, no wake-up").isZero();
                assertThat(pool.drain(done::add)).isEqualTo(1);

                alloc.holdWorkers(); // the worker stops in its next batch's allocation
                BatchBuilder b = pool.acquire();
                long end = fill(b, 0, 1, done.get(0).endOffset(), 20);
                assertThat(pool.submit(b, CodecType.LZ4, new Ctx(0, 1))).as("a free worker takes it").isFalse();
                alloc.awaitWorkerStopped();
                BatchBuilder c = pool.acquire();
                fill(c, 0, 2, end, 30);
                pool.submitHere(c, CodecType.ZSTD, new Ctx(0, 2));
                assertThat(pool.finishedHere()).as("a batch ahead of it: still here").isEqualTo(2);
                assertThat(pool.drain(done::add)).as("finished, but behind the worker's batch").isZero();
                alloc.releaseWorkers();
                while (done.size() < 3) {
                    ready.acquire();
                    pool.drain(done::add);
                }
            } finally {
                alloc.releaseWorkers(); // a failed assertion must not leave the worker held (close() joins it)
            }
        }
        assertInOrder(done, 3);
    }

    @Test
    void submitFinishesHereWhenEveryWorkerIsBusyAndGivesTheNextToAFreedWorker() throws Exception {
        List<CompressionPool.Done<Ctx>> done = new ArrayList<>();
        try (CompressionPool<Ctx> pool = pool(1, 4)) {
            try {
                alloc.holdWorkers();
                BatchBuilder a = pool.acquire();
                long end = fill(a, 0, 0, 0, 10);
                assertThat(pool.submit(a, CodecType.LZ4, new Ctx(0, 0))).as("a free worker takes it").isFalse();
                alloc.awaitWorkerStopped();
                BatchBuilder b = pool.acquire();
                end = fill(b, 0, 1, end, 20);
                assertThat(pool.submit(b, CodecType.LZ4, new Ctx(0, 1))).as("the only worker is busy: the caller runs it").isTrue();
                assertThat(ready.availablePermits()).as("finished here: no wake-up").isZero();
                assertThat(pool.drain(done::add)).as("behind the worker's batch").isZero();
                alloc.releaseWorkers();
                ready.acquire();
                assertThat(pool.drain(done::add)).as("the worker's batch, then the one finished here").isEqualTo(2);
                BatchBuilder c = pool.acquire();
                fill(c, 0, 2, end, 30);
                assertThat(pool.submit(c, CodecType.NONE, new Ctx(0, 2))).as("the worker is free again").isFalse();
                ready.acquire();
                assertThat(pool.drain(done::add)).isEqualTo(1);
                assertThat(pool.finishedHere()).isEqualTo(1);
            } finally {
                alloc.releaseWorkers(); // a failed assertion must not leave the worker held (close() joins it)
            }
        }
        assertInOrder(done, 3);
    }

    /** {@code n} batches of stream 0, batch i with 10 * (i + 1) lines, each starting where the one before ended. */
    private void assertInOrder(List<CompressionPool.Done<Ctx>> done, int n) throws Exception {
        try {
            assertThat(done).extracting(d -> d.context().n()).containsExactlyElementsOf(IntStream.range(0, n).boxed().toList());
            for (int i = 0; i < n; i++) {
                assertThat(done.get(i).failed()).isFalse();
                assertThat(lines(done.get(i))).hasSize(10 * (i + 1)).first().isEqualTo(line(0, i, 0));
                if (i > 0) {
                    assertThat(done.get(i).startOffset()).isEqualTo(done.get(i - 1).endOffset());
                }
            }
        } finally {
            done.forEach(d -> d.batch().release());
        }
    }

    @Test
    void aBatchThatCannotBeFinishedComesBackAsAnErrorInItsPlace() throws Exception {
        try (CompressionPool<Ctx> pool = pool(1, 3)) {
            BatchBuilder never = pool.acquire(); // begin() never called: finish() throws
            pool.submit(never, CodecType.LZ4, new Ctx(0, 0));
            BatchBuilder ok = pool.acquire();
            fill(ok, 0, 1, 0, 5);
            pool.submit(ok, CodecType.LZ4, new Ctx(0, 1));
            List<CompressionPool.Done<Ctx>> done = new ArrayList<>();
            while (done.size() < 2) {
                if (pool.drain(done::add) == 0) {
                    ready.acquire();
                }
            }
            assertThat(done.get(0).failed()).isTrue();
            assertThat(done.get(0).error()).isInstanceOf(IllegalStateException.class);
            assertThat(done.get(0).batch()).isNull();
            assertThat(done.get(1).failed()).isFalse();
            assertThat(lines(done.get(1))).hasSize(5);
            done.get(1).batch().release();
        }
    }

    @Test
    void closeReleasesBatchesThatWereNeverDrained() throws Exception {
        CompressionPool<Ctx> pool = pool(2, 3);
        for (int n = 0; n < 3; n++) {
            BatchBuilder b = pool.acquire();
            fill(b, 0, n, n * 10_000L, 100);
            pool.submit(b, CodecType.ZSTD, new Ctx(0, n));
        }
        ready.acquire(3 - (int) pool.finishedHere()); // every batch finished: by a worker, or here when both were busy
        pool.close();
        assertThatThrownBy(pool::acquire).isInstanceOf(IllegalStateException.class);
        // noLeaks() checks that the three batches and every scratch buffer were released
    }
}
