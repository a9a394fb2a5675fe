package io.datastream.protocol.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.ProtocolException;
import io.datastream.protocol.ProtocolLimits;
import io.datastream.protocol.batch.Batch;
import io.datastream.protocol.batch.RecordCursor;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.frame.BatchFrame;
import io.datastream.protocol.frame.Frame;
import io.datastream.protocol.frame.FrameCodec;
import io.datastream.protocol.frame.FrameDecoder;
import io.datastream.protocol.testing.TestBatches;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One million hostile inputs (fixed seed) through the two decoders of untrusted bytes:
 * {@link FrameDecoder#decodeOne} (and, for BATCH frames, the batch inside) and
 * {@link Batch#parse} + {@link Batch#openRecords}. Only {@link ProtocolException}s may escape;
 * what decodes must be self-consistent; nothing leaks (instrumented allocators must end at zero
 * and input buffers at their original reference count); and no allocation is larger than the
 * limits allow, whatever the bytes declare.
 *
 * <p>Inputs are valid seeds (every golden sample plus generated frames and batches) mutated by
 * bit flips, byte changes, truncation, length-field changes, splicing, insertion, deletion and
 * duplication; plus streams of several frames and pure random bytes. Half of the mutated
 * batches get their CRC recomputed so the checks behind the CRC are reached too. A failure
 * names the case number: rerun with the same seed to reproduce it. {@code -Dds.fuzz.cases=N}
 * changes the number of cases per test (default 500,000 each, 1,000,000 in all).
 */
class ProtocolFuzzTest {
    private static final long SEED = 0xD5F0_2024L;
    private static final int CASES = Integer.getInteger("ds.fuzz.cases", 500_000);
    /** Small limits so a declared size within them is still cheap to honour. */
    private static final ProtocolLimits LIMITS = new ProtocolLimits(64 << 10, 256 << 10, 1 << 16);

    /** Counts bytes held (its delegate's metric) and records the largest single allocation. */
    static final class BoundedAllocator extends AbstractByteBufAllocator {
        final UnpooledByteBufAllocator delegate;
        int largest;

        BoundedAllocator(boolean direct, boolean leakDetection) {
            super(direct);
            delegate = new UnpooledByteBufAllocator(direct, !leakDetection);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            largest = Math.max(largest, initialCapacity);
            return delegate.heapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            largest = Math.max(largest, initialCapacity);
            return delegate.directBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }

    /**
     * Buffers the decoders allocate come from these. Their metrics are the exact leak check.
     * Netty's paranoid leak detector (on in every test JVM) records a stack trace on every access
     * to a buffer it tracks, which would make a million cases take minutes; so one case in
     * {@value #TRACKED_EVERY} uses the tracked allocators and the rest the untracked ones.
     */
    private final BoundedAllocator[] allocators = {
        new BoundedAllocator(false, false), new BoundedAllocator(true, false),
        new BoundedAllocator(false, true), new BoundedAllocator(true, true)};
    private static final int TRACKED_EVERY = 16;
    /** For the harness's own buffers: untracked, they are not what is under test. */
    private static final UnpooledByteBufAllocator HARNESS = new UnpooledByteBufAllocator(false, true);
    private final CodecSet codecs = new CodecSet(1);
    private final ByteBuf directInput = new UnpooledByteBufAllocator(true, true).directBuffer(1 << 18);
    private int caseNumber;
    private final Map<ErrorCode, Integer> errors = new EnumMap<>(ErrorCode.class);
    private int decodedFrames;
    private int openedBatches;

    @AfterEach
    void nothingLeaked() {
        codecs.close();
        assertThat(directInput.refCnt()).isEqualTo(1);
        directInput.release();
        for (BoundedAllocator a : allocators) {
            assertThat(a.delegate.metric().usedHeapMemory()).as("heap bytes not released").isZero();
            assertThat(a.delegate.metric().usedDirectMemory()).as("direct bytes not released").isZero();
            assertThat(a.largest).as("largest allocation").isLessThanOrEqualTo(LIMITS.maxUncompressedSize());
        }
    }

    private ByteBuf input(byte[] bytes, boolean useDirect) {
        return useDirect ? directInput.clear().writeBytes(bytes) : Unpooled.wrappedBuffer(bytes);
    }

    private static AssertionError failure(int i, byte[] input, Throwable t) {
        String hex = ByteBufUtil.hexDump(input, 0, Math.min(input.length, 256));
        return new AssertionError("case " + i + " (seed " + SEED + "): " + t + "\ninput (" + input.length + " bytes): " + hex, t);
    }

    @Test
    void framesDecodeOrFailWithAProtocolException() {
        FuzzCorpus corpus = new FuzzCorpus(SEED, 400, 150);
        for (int i = 0; i < CASES; i++) {
            SplittableRandom rnd = new SplittableRandom(SEED + i);
            caseNumber = i;
            byte[] seed = corpus.frames.get(rnd.nextInt(corpus.frames.size()));
            byte[] other = corpus.frames.get(rnd.nextInt(corpus.frames.size()));
            byte[] in;
            int kind = rnd.nextInt(20);
            if (kind == 0) {
                in = FuzzCorpus.randomBytes(rnd);
            } else if (kind <= 3) { // a stream of frames, maybe damaged
                byte[] two = new byte[seed.length + other.length];
                System.arraycopy(seed, 0, two, 0, seed.length);
                System.arraycopy(other, 0, two, seed.length, other.length);
                in = rnd.nextBoolean() ? two : FuzzCorpus.mutate(rnd, two, seed, false);
            } else {
                in = FuzzCorpus.mutate(rnd, seed, other, false);
            }
            ByteBuf buf = input(in, rnd.nextInt(4) == 0);
            try {
                decodeStream(buf, rnd);
            } catch (ProtocolException e) {
                errors.merge(e.code(), 1, Integer::sum);
            } catch (RuntimeException | Error e) {
                throw failure(i, in, e);
            }
            if (buf.refCnt() != 1) {
                throw failure(i, in, new AssertionError("input refCnt " + buf.refCnt() + ": a BATCH frame was not released"));
            }
        }
        System.out.printf("frame fuzz: %d cases, %d frames decoded, %d batches opened, errors %s%n",
                CASES, decodedFrames, openedBatches, errors);
        assertThat(decodedFrames).as("the corpus must reach the decoders' success paths too").isGreaterThan(CASES / 10);
        assertThat(errors).containsKeys(ErrorCode.MALFORMED_FRAME, ErrorCode.FRAME_TOO_LARGE, ErrorCode.UNKNOWN_FRAME_TYPE);
    }

    /** Decodes every frame in {@code buf}; checks what decodes; releases BATCH frames. */
    private void decodeStream(ByteBuf buf, SplittableRandom rnd) throws ProtocolException {
        while (true) {
            int before = buf.readerIndex();
            Frame f = FrameDecoder.decodeOne(buf, LIMITS.maxFrameLength());
            if (f == null) {
                assertThat(buf.readerIndex()).as("an incomplete frame is not consumed").isEqualTo(before);
                return;
            }
            assertThat(buf.readerIndex()).isGreaterThan(before);
            decodedFrames++;
            if (f instanceof BatchFrame bf) {
                try {
                    assertThat(bf.creditCost()).isEqualTo(buf.readerIndex() - before - 6);
                    openBatch(bf.batch(), rnd);
                } catch (ProtocolException e) {
                    errors.merge(e.code(), 1, Integer::sum);
                } finally {
                    bf.release();
                }
            } else {
                reencode(f);
            }
        }
    }

    /** What decodes re-encodes (when its strings still fit) to bytes that decode to the same frame. */
    private static void reencode(Frame f) throws ProtocolException {
        ByteBuf out = HARNESS.heapBuffer();
        try {
            FrameCodec.encodeControl(f, out);
        } catch (IllegalArgumentException replacementCharactersMadeAStringTooLong) {
            return;
        }
        assertThat(FrameDecoder.decodeOne(out, Integer.MAX_VALUE)).isEqualTo(f);
    }

    /** Parses and opens a batch; what opens must add up. */
    private void openBatch(ByteBuf bytes, SplittableRandom rnd) throws ProtocolException {
        int reader = bytes.readerIndex();
        Batch b = Batch.parse(bytes, LIMITS);
        assertThat(bytes.readerIndex()).isEqualTo(reader);
        assertThat(b.uncompressedLength()).isBetween(0, LIMITS.maxUncompressedSize());
        int pick = (rnd.nextBoolean() ? 1 : 0) + (caseNumber % TRACKED_EVERY == 0 ? 2 : 0);
        try (RecordCursor c = b.openRecords(codecs, allocators[pick])) {
            openedBatches++;
            long expected = b.startOffset();
            int n = 0;
            while (c.next()) {
                assertThat(c.offset()).isEqualTo(expected);
                assertThat(c.contentIndex() + c.length()).isLessThanOrEqualTo(c.buffer().writerIndex());
                expected = c.nextOffset();
                n++;
            }
            assertThat(n).isEqualTo(b.recordCount());
            assertThat(expected).isEqualTo(b.endOffset());
        }
    }

    @Test
    void batchesParseAndOpenOrFailWithAProtocolException() {
        FuzzCorpus corpus = new FuzzCorpus(SEED + 1, 0, 400);
        int crcFixed = 0;
        for (int i = 0; i < CASES; i++) {
            SplittableRandom rnd = new SplittableRandom(SEED * 7 + i);
            caseNumber = i;
            byte[] seed = corpus.batches.get(rnd.nextInt(corpus.batches.size()));
            byte[] in;
            if (rnd.nextInt(50) == 0) {
                in = FuzzCorpus.randomBytes(rnd);
            } else {
                in = FuzzCorpus.mutate(rnd, seed, corpus.batches.get(rnd.nextInt(corpus.batches.size())), true);
                if (rnd.nextBoolean()) {
                    TestBatches.fixCrc(in);
                    crcFixed++;
                }
            }
            ByteBuf buf = input(in, rnd.nextInt(4) == 0);
            try {
                openBatch(buf, rnd);
            } catch (ProtocolException e) {
                errors.merge(e.code(), 1, Integer::sum);
            } catch (RuntimeException | Error e) {
                throw failure(i, in, e);
            }
            if (buf.refCnt() != 1) {
                throw failure(i, in, new AssertionError("input refCnt " + buf.refCnt()));
            }
        }
        System.out.printf("batch fuzz: %d cases (%d with a recomputed CRC), %d batches opened, errors %s%n",
                CASES, crcFixed, openedBatches, errors);
        assertThat(openedBatches).as("some mutations must still open").isGreaterThan(CASES / 50);
        assertThat(errors).containsKeys(ErrorCode.CRC_MISMATCH, ErrorCode.CORRUPT_BATCH, ErrorCode.BATCH_TOO_LARGE,
                ErrorCode.UNSUPPORTED_CODEC, ErrorCode.UNSUPPORTED_VERSION);
    }
}
