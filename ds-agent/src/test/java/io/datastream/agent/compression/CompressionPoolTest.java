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
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CompressionPool: batches finished by its workers come back whole, in submission order, within its bounds. */
class CompressionPoolTest {
    /** Instrumented: its metric shows any batch buffer or scratch buffer not released. */
    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(true, true);
    private final CodecSet codecs = new CodecSet();
    /** Released once per finished batch by the pool's onReady: the test waits on it, never on the clock. */
    private final Semaphore ready = new Semaphore(0);

    private record Ctx(int stream, int n) {
    }

    @AfterEach
    void noLeaks() {
        codecs.close();
        assertThat(alloc.metric().usedDirectMemory()).as("direct bytes still allocated").isZero();
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
                    ready.acquire(); // all 4 in flight: wait for one to finish, then take it
                    pool.drain(done::add);
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
                if (threads > 0) {
                    ready.acquire();
                }
                pool.drain(done::add);
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
    void submitHereFinishesOnTheOwnersThreadOnlyWhenNothingIsInFlight() throws Exception {
        List<CompressionPool.Done<Ctx>> done = new ArrayList<>();
        try (CompressionPool<Ctx> pool = pool(1, 3)) {
            BatchBuilder a = pool.acquire();
            fill(a, 0, 0, 0, 10);
            assertThat(pool.submitHere(a, CodecType.LZ4, new Ctx(0, 0))).as("idle pool: finished here").isTrue();
            assertThat(ready.availablePermits()).as("no worker involved, no wake-up").isZero();
            assertThat(pool.drain(done::add)).isEqualTo(1);

            BatchBuilder b = pool.acquire();
            long end = fill(b, 0, 1, done.get(0).endOffset(), 20);
            pool.submit(b, CodecType.LZ4, new Ctx(0, 1));
            BatchBuilder c = pool.acquire();
            fill(c, 0, 2, end, 30);
            assertThat(pool.submitHere(c, CodecType.ZSTD, new Ctx(0, 2))).as("a batch ahead of it: to the worker").isFalse();
            while (done.size() < 3) {
                ready.acquire();
                pool.drain(done::add);
            }
        }
        try {
            assertThat(done).extracting(d -> d.context().n()).containsExactly(0, 1, 2);
            for (int n = 0; n < 3; n++) {
                assertThat(done.get(n).failed()).isFalse();
                assertThat(lines(done.get(n))).hasSize(10 * (n + 1)).first().isEqualTo(line(0, n, 0));
            }
            assertThat(done.get(1).startOffset()).isEqualTo(done.get(0).endOffset());
            assertThat(done.get(2).startOffset()).isEqualTo(done.get(1).endOffset());
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
                ready.acquire();
                pool.drain(done::add);
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
        ready.acquire(3);
        pool.close();
        assertThatThrownBy(pool::acquire).isInstanceOf(IllegalStateException.class);
        // noLeaks() checks that the three batches and every scratch buffer were released
    }
}
