package io.datastream.protocol.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.ProtocolLimits;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.testing.TestBatches;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every way a batch can be wrong is found, with the right error code, before harm is done. */
class BatchValidationTest {
    /** Instrumented (see BatchRoundTripTest): its metric is the leak check. */
    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(true, true);
    private final CodecSet codecs = new CodecSet();

    @AfterEach
    void noLeaks() {
        codecs.close();
        assertThat(alloc.metric().usedDirectMemory()).isZero();
        assertThat(alloc.metric().usedHeapMemory()).isZero();
    }

    private static List<String> lines(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("2024-05-01 12:00:00.000 INFO  [main] io.example.Service - request " + i + " done");
        }
        return out;
    }

    private byte[] valid(CodecType codec) {
        return TestBatches.bytes(TestBatches.build(codecs.get(codec), TestBatches.source(), 1000, lines(50)));
    }

    private static CorruptBatchException parseFailure(byte[] batch, ProtocolLimits limits) {
        return catchThrowableOfType(CorruptBatchException.class, () -> Batch.parse(Unpooled.wrappedBuffer(batch), limits));
    }

    private static CorruptBatchException parseFailure(byte[] batch) {
        return parseFailure(batch, ProtocolLimits.DEFAULT);
    }

    /** Parses (must succeed) and opens the records (must fail); returns the failure. */
    private CorruptBatchException openFailure(byte[] batch) throws CorruptBatchException {
        Batch b = Batch.parse(Unpooled.wrappedBuffer(batch), ProtocolLimits.DEFAULT);
        return catchThrowableOfType(CorruptBatchException.class, () -> b.openRecords(codecs, alloc).close());
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static void putLong(byte[] b, int at, long v) {
        putInt(b, at, (int) (v >>> 32));
        putInt(b, at + 4, (int) v);
    }

    @ParameterizedTest
    @EnumSource(CodecType.class)
    void declaredSizeOverTheLimitIsRefusedBeforeDecompression(CodecType codec) {
        byte[] b = valid(codec);
        int declared = 50 * 83; // about what the lines take
        ProtocolLimits small = new ProtocolLimits(1 << 20, 1000, 1000);
        assertThat(parseFailure(b, small).code()).isEqualTo(ErrorCode.BATCH_TOO_LARGE);

        // A lie: tiny payload (garbage), declared 2 GiB - 1 uncompressed, CRC made to match.
        byte[] lie = b.clone();
        putInt(lie, BatchLayout.UNCOMPRESSED_LENGTH_OFFSET, Integer.MAX_VALUE);
        TestBatches.fixCrc(lie);
        assertThat(parseFailure(lie).code()).isEqualTo(ErrorCode.BATCH_TOO_LARGE);
        putInt(lie, BatchLayout.UNCOMPRESSED_LENGTH_OFFSET, -1);
        TestBatches.fixCrc(lie);
        assertThat(parseFailure(lie).code()).isEqualTo(ErrorCode.BATCH_TOO_LARGE);
        assertThat(declared).isPositive();
    }

    @Test
    void recordCountOverTheLimitOrImpossibleIsCorrupt() {
        byte[] b = valid(CodecType.LZ4);
        assertThat(parseFailure(b, new ProtocolLimits(1 << 20, 1 << 20, 49)).code()).isEqualTo(ErrorCode.CORRUPT_BATCH);
        byte[] lie = b.clone();
        putInt(lie, BatchLayout.RECORD_COUNT_OFFSET, 1_000_000); // more than 2 bytes per record allow
        TestBatches.fixCrc(lie);
        assertThat(parseFailure(lie).code()).isEqualTo(ErrorCode.CORRUPT_BATCH);
        putInt(lie, BatchLayout.RECORD_COUNT_OFFSET, -1);
        TestBatches.fixCrc(lie);
        assertThat(parseFailure(lie).code()).isEqualTo(ErrorCode.CORRUPT_BATCH);
    }

    @ParameterizedTest
    @EnumSource(CodecType.class)
    void anyChangedByteAfterTheCrcFieldIsACrcMismatch(CodecType codec) {
        byte[] b = valid(codec);
        for (int i = BatchLayout.CRC_START; i < b.length; i += 7) {
            byte[] bad = b.clone();
            bad[i] ^= 0x10;
            CorruptBatchException e = parseFailure(bad);
            assertThat(e).as("flip at %d", i).isNotNull();
            assertThat(e.code()).as("flip at %d", i).isEqualTo(ErrorCode.CRC_MISMATCH);
        }
        byte[] payloadFlip = b.clone();
        payloadFlip[b.length - 1] ^= 1;
        assertThat(parseFailure(payloadFlip).code()).isEqualTo(ErrorCode.CRC_MISMATCH);
        byte[] crcFlip = b.clone();
        crcFlip[BatchLayout.CRC_OFFSET] ^= 1;
        assertThat(parseFailure(crcFlip).code()).isEqualTo(ErrorCode.CRC_MISMATCH);
        assertThat(parseFailure(crcFlip).code().retriable()).isTrue();
    }

    @Test
    void badMagicVersionCodecAndDictionaryAreNamed() {
        byte[] b = valid(CodecType.ZSTD);

        byte[] magic = b.clone();
        magic[0] = 'X';
        assertThat(parseFailure(magic).code()).isEqualTo(ErrorCode.CORRUPT_BATCH);
        assertThat(parseFailure(magic)).hasMessageContaining("magic");

        byte[] version = b.clone();
        version[BatchLayout.VERSION_OFFSET] = 2;
        assertThat(parseFailure(version).code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
        version[BatchLayout.VERSION_OFFSET] = 0;
        assertThat(parseFailure(version).code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);

        byte[] codec = b.clone();
        codec[BatchLayout.CODEC_OFFSET] = 3;
        assertThat(parseFailure(codec).code()).isEqualTo(ErrorCode.UNSUPPORTED_CODEC);
        codec[BatchLayout.CODEC_OFFSET] = (byte) 0xFF;
        assertThat(parseFailure(codec).code()).isEqualTo(ErrorCode.UNSUPPORTED_CODEC);

        byte[] dict = b.clone();
        putInt(dict, BatchLayout.DICTIONARY_ID_OFFSET, 17);
        TestBatches.fixCrc(dict);
        assertThat(parseFailure(dict).code()).isEqualTo(ErrorCode.UNSUPPORTED_CODEC);
        assertThat(parseFailure(dict)).hasMessageContaining("dictionary");
    }

    @Test
    void codecByteIsOutsideTheCrcButAWrongCodecStillFails() throws Exception {
        byte[] b = valid(CodecType.LZ4);
        byte[] asZstd = b.clone();
        asZstd[BatchLayout.CODEC_OFFSET] = (byte) CodecType.ZSTD.id();
        assertThat(openFailure(asZstd).code()).isEqualTo(ErrorCode.CORRUPT_BATCH);
        byte[] asNone = b.clone();
        asNone[BatchLayout.CODEC_OFFSET] = (byte) CodecType.NONE.id();
        assertThat(parseFailure(asNone).code()).isEqualTo(ErrorCode.CORRUPT_BATCH);
    }

    @Test
    void structuralLiesAreCorrupt() {
        byte[] b = valid(CodecType.NONE);
        assertThat(parseFailure(new byte[0]).code()).isEqualTo(ErrorCode.CORRUPT_BATCH);
        assertThat(parseFailure(Arrays.copyOf(b, 71)).code()).isEqualTo(ErrorCode.CORRUPT_BATCH);
        assertThat(parseFailure(Arrays.copyOf(b, b.length - 1)).code()).as("cut short on the way").isEqualTo(ErrorCode.CRC_MISMATCH);

        int h = ((b[12] & 0xFF) << 8) | (b[13] & 0xFF);
        for (int badH : new int[] {0, 72, 81, b.length + 1, 0xFFFF, h - 1, h + 1}) {
            byte[] x = b.clone();
            x[12] = (byte) (badH >>> 8);
            x[13] = (byte) badH;
            TestBatches.fixCrc(x);
            assertThat(parseFailure(x)).as("header length %d", badH).isNotNull();
            assertThat(parseFailure(x).code()).isEqualTo(ErrorCode.CORRUPT_BATCH);
        }

        byte[] payloadLen = b.clone();
        putInt(payloadLen, BatchLayout.PAYLOAD_LENGTH_OFFSET, b.length - h + 1);
        TestBatches.fixCrc(payloadLen);
        assertThat(parseFailure(payloadLen).code()).isEqualTo(ErrorCode.CORRUPT_BATCH);

        byte[] offsets = b.clone();
        putLong(offsets, BatchLayout.END_OFFSET_OFFSET, 999);
        TestBatches.fixCrc(offsets);
        assertThat(parseFailure(offsets).code()).isEqualTo(ErrorCode.CORRUPT_BATCH);
        putLong(offsets, BatchLayout.START_OFFSET_OFFSET, -1);
        TestBatches.fixCrc(offsets);
        assertThat(parseFailure(offsets).code()).isEqualTo(ErrorCode.CORRUPT_BATCH);

        byte[] headerCount = b.clone(); // header count is the last u16 before the two header pairs
        int count = 72 + 2 + 6 + 2 + 8 + 2 + 18 + 2 + 25;
        assertThat(headerCount[count + 1]).isEqualTo((byte) 2);
        headerCount[count + 1] = 65;
        TestBatches.fixCrc(headerCount);
        assertThat(parseFailure(headerCount).code()).isEqualTo(ErrorCode.CORRUPT_BATCH);
        headerCount[count + 1] = 3; // one more pair than the header holds
        TestBatches.fixCrc(headerCount);
        assertThat(parseFailure(headerCount)).hasMessageContaining("header ends inside");
    }

    /** A codec-none batch whose payload is {@code records}, with a consistent header and CRC. */
    private static byte[] noneBatchWithPayload(byte[] records, int count, long start, long end) {
        byte[] b = TestBatches.bytes(TestBatches.build(CodecType.NONE.create(), TestBatches.source(), start, List.of()));
        byte[] out = Arrays.copyOf(b, b.length + records.length);
        System.arraycopy(records, 0, out, b.length, records.length);
        putInt(out, BatchLayout.RECORD_COUNT_OFFSET, count);
        putInt(out, BatchLayout.UNCOMPRESSED_LENGTH_OFFSET, records.length);
        putInt(out, BatchLayout.PAYLOAD_LENGTH_OFFSET, records.length);
        putLong(out, BatchLayout.END_OFFSET_OFFSET, end);
        TestBatches.fixCrc(out);
        return out;
    }

    @Test
    void recordFramingIsValidatedWhenTheCursorOpens() throws Exception {
        // sanity: a well-formed payload of two records "ab" gap 1 and "" gap 2
        byte[] ok = noneBatchWithPayload(new byte[] {2, 1, 'a', 'b', 0, 2}, 2, 10, 15);
        try (RecordCursor c = Batch.parse(Unpooled.wrappedBuffer(ok), ProtocolLimits.DEFAULT).openRecords(codecs, alloc)) {
            assertThat(c.next()).isTrue();
            assertThat(c.next()).isTrue();
            assertThat(c.offset()).isEqualTo(13);
            assertThat(c.next()).isFalse();
        }
        assertThat(openFailure(noneBatchWithPayload(new byte[] {2, 1, 'a', 'b', 0, 2}, 1, 10, 15)))
                .hasMessageContaining("header says 1");
        assertThat(openFailure(noneBatchWithPayload(new byte[] {2, 1, 'a', 'b', 0, 2}, 2, 10, 16)))
                .hasMessageContaining("end at offset 15");
        assertThat(openFailure(noneBatchWithPayload(new byte[] {5, 1, 'a', 'b', 0, 2}, 2, 10, 15)))
                .hasMessageContaining("runs past");
        assertThat(openFailure(noneBatchWithPayload(new byte[] {2, 1, 'a', 'b', (byte) 0x80}, 2, 10, 15)))
                .hasMessageContaining("inside a record header");
        assertThat(openFailure(noneBatchWithPayload(new byte[] {(byte) 0x82, 0, 1, 'a', 'b', 0, 2}, 2, 10, 15)))
                .hasMessageContaining("non-minimal");
        byte[] tooLong = new byte[14];
        Arrays.fill(tooLong, (byte) 0xFF);
        assertThat(openFailure(noneBatchWithPayload(tooLong, 1, 10, 15))).hasMessageContaining("too long");
        // record 1 moves the offset to 2^63 - 1; record 2 (20 bytes, gap 2^63 - 1) wraps past 2^64
        // to 18, a plausible end offset
        java.io.ByteArrayOutputStream wrap = new java.io.ByteArrayOutputStream();
        varint(wrap, 0);
        varint(wrap, Long.MAX_VALUE - 10);
        varint(wrap, 20);
        varint(wrap, Long.MAX_VALUE);
        wrap.writeBytes(new byte[20]);
        CorruptBatchException overflow = openFailure(noneBatchWithPayload(wrap.toByteArray(), 2, 10, 18));
        assertThat(overflow).hasMessageContaining("overflow");
        assertThat(overflow.code()).isEqualTo(ErrorCode.CORRUPT_BATCH);
    }

    private static void varint(java.io.ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    @ParameterizedTest
    @EnumSource(value = CodecType.class, names = {"LZ4", "ZSTD"})
    void declaredSizeBeyondWhatThePayloadCanHoldIsRefusedBeforeAnyAllocation(CodecType codec) {
        byte[] b = valid(codec);
        int payload = b.length - (((b[12] & 0xFF) << 8) | (b[13] & 0xFF));
        long max = codec.maxUncompressedLength(payload);
        byte[] lie = b.clone();
        putInt(lie, BatchLayout.UNCOMPRESSED_LENGTH_OFFSET, (int) Math.min(max + 1, ProtocolLimits.DEFAULT.maxUncompressedSize()));
        TestBatches.fixCrc(lie);
        assertThat(parseFailure(lie)).hasMessageContaining("cannot decompress to");
        assertThat(parseFailure(lie).code()).isEqualTo(ErrorCode.CORRUPT_BATCH);
    }

    @ParameterizedTest
    @EnumSource(CodecType.class)
    void theMostCompressibleBatchesStillParse(CodecType codec) throws Exception {
        // one record of 8 MiB of one byte value: about the best ratio each codec reaches
        try (io.datastream.protocol.batch.BatchBuilder builder = new BatchBuilder(alloc, 9 << 20, 10)) {
            builder.begin(TestBatches.source(), 0);
            assertThat(builder.tryAppend(new byte[8 << 20], 0, 8 << 20, 1, 0)).isTrue();
            ByteBuf batch = builder.finish(codecs.get(codec));
            try (RecordCursor c = Batch.parse(batch, ProtocolLimits.DEFAULT).openRecords(codecs, alloc)) {
                assertThat(c.next()).isTrue();
                assertThat(c.length()).isEqualTo(8 << 20);
            } finally {
                batch.release();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = CodecType.class, names = {"LZ4", "ZSTD"})
    void damagedCompressedPayloadWithAMatchingCrcFailsOnOpen(CodecType codec) throws Exception {
        byte[] b = valid(codec);
        int h = ((b[12] & 0xFF) << 8) | (b[13] & 0xFF);
        byte[] bad = b.clone();
        for (int i = h; i < Math.min(b.length, h + 8); i++) {
            bad[i] = (byte) 0xFF;
        }
        TestBatches.fixCrc(bad);
        assertThat(openFailure(bad).code()).isEqualTo(ErrorCode.CORRUPT_BATCH);
        byte[] shorter = b.clone();
        putInt(shorter, BatchLayout.UNCOMPRESSED_LENGTH_OFFSET, 200);
        TestBatches.fixCrc(shorter);
        assertThat(openFailure(shorter).code()).isEqualTo(ErrorCode.CORRUPT_BATCH);
    }
}
