package io.datastream.protocol.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.ProtocolLimits;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.testing.TestBatches;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** BatchBuilder -> Batch.parse -> RecordCursor keeps every line, its bytes and its source offset. */
class BatchRoundTripTest {
    /**
     * Unpooled and instrumented: its metric shows, exactly and at once, any buffer that was not
     * released. Netty's (paranoid) leak detector is off for it: it would record a stack trace on
     * every access, and the metric is the stricter check.
     */
    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(true, true);
    private final CodecSet codecs = new CodecSet(1);

    @AfterEach
    void noLeaks() {
        codecs.close();
        assertThat(alloc.metric().usedDirectMemory()).as("direct bytes still allocated").isZero();
        assertThat(alloc.metric().usedHeapMemory()).as("heap bytes still allocated").isZero();
    }

    /** One record as the agent appends it, and where its content sits in the file. */
    private record Rec(int fileIndex, int length, long gap) {
    }

    /**
     * Cuts {@code file} into records the way a tailer does: newline gap 1, CRLF gap 2, lines over
     * {@code maxLine} truncated (the rest and the newline are the gap), and, when
     * {@code splitInstead}, long lines split into pieces with gap 0 instead.
     */
    private static List<Rec> cut(byte[] file, int maxLine, boolean splitInstead) {
        List<Rec> out = new ArrayList<>();
        int pos = 0;
        while (pos < file.length) {
            int nl = pos;
            while (nl < file.length && file[nl] != '\n') {
                nl++;
            }
            int end = nl; // content end
            int terminator = nl < file.length ? 1 : 0;
            if (end > pos && file[end - 1] == '\r' && terminator == 1) {
                end--;
                terminator = 2;
            }
            int len = end - pos;
            if (len <= maxLine) {
                out.add(new Rec(pos, len, terminator));
            } else if (splitInstead) {
                int p = pos;
                while (end - p > maxLine) {
                    out.add(new Rec(p, maxLine, 0));
                    p += maxLine;
                }
                out.add(new Rec(p, end - p, terminator));
            } else {
                out.add(new Rec(pos, maxLine, len - maxLine + terminator));
            }
            pos = end + terminator;
        }
        return out;
    }

    private static byte[] sampleFile() {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 300; i++) {
            int len = switch (i % 7) {
                case 0 -> 0;                          // empty line
                case 1 -> 500 + rnd.nextInt(3000);   // long line
                default -> 1 + rnd.nextInt(120);
            };
            for (int k = 0; k < len; k++) {
                f.write('a' + rnd.nextInt(26));
            }
            f.writeBytes(i % 3 == 0 ? "\r\n".getBytes(StandardCharsets.US_ASCII) : new byte[] {'\n'});
        }
        f.writeBytes("last line without newline".getBytes(StandardCharsets.US_ASCII));
        return f.toByteArray();
    }

    private ByteBuf buildFromFile(byte[] file, List<Rec> recs, long start, CodecType codec) {
        try (BatchBuilder b = new BatchBuilder(alloc, 1 << 20, 100_000)) {
            b.begin(TestBatches.source(), start);
            ByteBuf fileBuf = Unpooled.wrappedBuffer(file);
            long t = 1000;
            for (Rec r : recs) {
                // alternate the two append methods
                boolean ok = (r.fileIndex() & 1) == 0
                        ? b.tryAppend(file, r.fileIndex(), r.length(), r.gap(), t++)
                        : b.tryAppend(fileBuf, r.fileIndex(), r.length(), r.gap(), t++);
                assertThat(ok).isTrue();
            }
            assertThat(b.recordCount()).isEqualTo(recs.size());
            assertThat(b.endOffset()).isEqualTo(start + file.length);
            return b.finish(codecs.get(codec));
        }
    }

    private void assertRecordsMatchFile(ByteBuf batchBuf, byte[] file, List<Rec> recs, long start) throws CorruptBatchException {
        Batch batch = Batch.parse(batchBuf, ProtocolLimits.DEFAULT);
        assertThat(batch.startOffset()).isEqualTo(start);
        assertThat(batch.endOffset()).isEqualTo(start + file.length);
        assertThat(batch.recordCount()).isEqualTo(recs.size());
        try (RecordCursor c = batch.openRecords(codecs, alloc)) {
            int i = 0;
            while (c.next()) {
                Rec r = recs.get(i++);
                long fileIndex = c.offset() - start;
                assertThat(fileIndex).as("offset of record %d", i).isEqualTo(r.fileIndex());
                assertThat(c.length()).isEqualTo(r.length());
                assertThat(c.gap()).isEqualTo(r.gap());
                assertThat(c.nextOffset()).isEqualTo(c.offset() + c.length() + c.gap());
                byte[] expected = Arrays.copyOfRange(file, (int) fileIndex, (int) fileIndex + c.length());
                assertThat(c.contentBytes()).isEqualTo(expected);
                assertThat(Unpooled.wrappedBuffer(expected).equals(c.content())).isTrue();
                assertThat(c.buffer().slice(c.contentIndex(), c.length()).equals(Unpooled.wrappedBuffer(expected))).isTrue();
            }
            assertThat(i).isEqualTo(recs.size());
            assertThat(c.next()).as("next() after the last record").isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(CodecType.class)
    void newlineAndCrlfGapsGiveTheLinesFileOffsets(CodecType codec) throws Exception {
        byte[] file = sampleFile();
        List<Rec> recs = cut(file, 10_000, false);
        assertThat(recs).anyMatch(r -> r.gap() == 2).anyMatch(r -> r.gap() == 1).anyMatch(r -> r.gap() == 0)
                .anyMatch(r -> r.length() == 0);
        ByteBuf batch = buildFromFile(file, recs, 1_000_000_007L, codec);
        try {
            assertRecordsMatchFile(batch, file, recs, 1_000_000_007L);
        } finally {
            batch.release();
        }
    }

    @ParameterizedTest
    @EnumSource(CodecType.class)
    void truncatedLinesCarryTheCutOffRestInTheirGap(CodecType codec) throws Exception {
        byte[] file = sampleFile();
        List<Rec> recs = cut(file, 100, false);
        assertThat(recs).anyMatch(r -> r.gap() > 400);
        ByteBuf batch = buildFromFile(file, recs, 0, codec);
        try {
            assertRecordsMatchFile(batch, file, recs, 0);
        } finally {
            batch.release();
        }
    }

    @ParameterizedTest
    @EnumSource(CodecType.class)
    void splitLinesFollowEachOtherWithGapZero(CodecType codec) throws Exception {
        byte[] file = sampleFile();
        List<Rec> recs = cut(file, 64, true);
        ByteBuf batch = buildFromFile(file, recs, 12345, codec);
        try {
            assertRecordsMatchFile(batch, file, recs, 12345);
        } finally {
            batch.release();
        }
    }

    @Test
    void hugeGapsUseLongVarints() throws Exception {
        try (BatchBuilder b = new BatchBuilder(alloc, 4096, 100)) {
            b.begin(TestBatches.source(), 5);
            byte[] x = "x".getBytes(StandardCharsets.US_ASCII);
            long big = Long.MAX_VALUE / 4;
            assertThat(b.tryAppend(x, 0, 1, big, 1)).isTrue();
            assertThat(b.tryAppend(x, 0, 1, 1, 2)).isTrue();
            assertThatThrownBy(() -> b.tryAppend(x, 0, 1, Long.MAX_VALUE - 10, 3))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("end offset");
            ByteBuf buf = b.finish(codecs.get(CodecType.LZ4));
            try (RecordCursor c = Batch.parse(buf, ProtocolLimits.DEFAULT).openRecords(codecs, alloc)) {
                assertThat(c.next()).isTrue();
                assertThat(c.offset()).isEqualTo(5);
                assertThat(c.gap()).isEqualTo(big);
                assertThat(c.next()).isTrue();
                assertThat(c.offset()).isEqualTo(5 + 1 + big);
                assertThat(c.nextOffset()).isEqualTo(5 + 1 + big + 2);
            } finally {
                buf.release();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CodecType.class)
    void headerFieldsRoundTrip(CodecType codec) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("zeta", "1");
        headers.put("alpha", "ünïcödé ✓");
        headers.put("mid", "");
        BatchSource src = new BatchSource("task-ü", "agent-1", "host-1", "/var/log/äpp.log", -5L, headers);
        try (BatchBuilder b = new BatchBuilder(alloc, 1 << 16, 10)) {
            b.begin(src, 77);
            byte[] line = "hello".getBytes(StandardCharsets.US_ASCII);
            b.tryAppend(line, 0, 5, 1, 111);
            b.tryAppend(line, 0, 5, 1, 222);
            b.tryAppend(line, 0, 5, 1, 333);
            assertThat(b.uncompressedBytes()).isEqualTo(3 * 7);
            ByteBuf buf = b.finish(codecs.get(codec));
            try {
                // parse at a non-zero reader index, and check it does not move
                ByteBuf shifted = Unpooled.buffer().writeBytes(new byte[] {1, 2, 3}).writeBytes(buf, 0, buf.readableBytes());
                shifted.readerIndex(3);
                Batch batch = Batch.parse(shifted, ProtocolLimits.DEFAULT);
                assertThat(shifted.readerIndex()).isEqualTo(3);
                assertThat(batch.taskId()).isEqualTo("task-ü");
                assertThat(batch.agentId()).isEqualTo("agent-1");
                assertThat(batch.host()).isEqualTo("host-1");
                assertThat(batch.path()).isEqualTo("/var/log/äpp.log");
                assertThat(batch.fingerprint()).isEqualTo(-5L);
                assertThat(batch.headers()).containsExactly(Map.entry("zeta", "1"), Map.entry("alpha", "ünïcödé ✓"), Map.entry("mid", ""));
                assertThat(batch.startOffset()).isEqualTo(77);
                assertThat(batch.endOffset()).isEqualTo(77 + 18);
                assertThat(batch.firstEventTime()).isEqualTo(111);
                assertThat(batch.lastEventTime()).isEqualTo(333);
                assertThat(batch.recordCount()).isEqualTo(3);
                assertThat(batch.uncompressedLength()).isEqualTo(21);
                assertThat(batch.codec()).isEqualTo(codec);
                assertThat(batch.sizeInBytes()).isEqualTo(buf.readableBytes());
                assertThat(batch.bytes()).isEqualTo(buf);
                assertThat(batch.payloadLength()).isEqualTo(batch.payload().readableBytes());
                assertThat(batch.toString()).contains("task-ü", "records=3");
                assertThat(src.headers().keySet()).containsExactly("zeta", "alpha", "mid");
                shifted.release();
            } finally {
                buf.release();
            }
        }
    }

    /** {@code count} lines of random letters, each shorter than {@code maxLength}, newline-terminated. */
    private static byte[] randomLines(SplittableRandom rnd, int count, int maxLength) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            int n = rnd.nextInt(maxLength);
            for (int j = 0; j < n; j++) {
                f.write('a' + rnd.nextInt(26));
            }
            f.write('\n');
        }
        return f.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(CodecType.class)
    void oneBuilderBuildsBatchesPastItsFirstArrayEachInAnExactSizeBuffer(CodecType codec) throws Exception {
        SplittableRandom rnd = new SplittableRandom(19);
        try (BatchBuilder b = new BatchBuilder(alloc, 4 << 20, 100_000)) {
            for (int round = 0; round < 4; round++) {
                // round 1 has lines longer than the builder's first array (64 KiB): it grows in mid-batch
                byte[] file = round == 1 ? randomLines(rnd, 20, 100_000) : randomLines(rnd, 100 + 300 * round, 600);
                List<Rec> recs = cut(file, 1 << 19, false);
                long start = round * 1_000_000L;
                b.begin(TestBatches.source(), start);
                for (Rec r : recs) {
                    assertThat(b.tryAppend(file, r.fileIndex(), r.length(), r.gap(), 1)).isTrue();
                }
                ByteBuf batch = b.finish(codecs.get(codec));
                try {
                    assertThat(batch.capacity()).as("no slack kept per batch").isEqualTo(batch.readableBytes());
                    assertRecordsMatchFile(batch, file, recs, start);
                } finally {
                    batch.release();
                }
            }
        }
    }

    @Test
    void emptyBatchRoundTrips() throws Exception {
        for (CodecType codec : CodecType.values()) {
            try (BatchBuilder b = new BatchBuilder(alloc, 1024, 10)) {
                b.begin(TestBatches.source(), 10);
                ByteBuf buf = b.finish(codecs.get(codec));
                try (RecordCursor c = Batch.parse(buf, ProtocolLimits.DEFAULT).openRecords(codecs, alloc)) {
                    assertThat(c.next()).isFalse();
                } finally {
                    buf.release();
                }
            }
        }
    }

    @Test
    void builderRefusesWhatDoesNotFitAndStartsOverOnBegin() throws Exception {
        try (BatchBuilder b = new BatchBuilder(alloc, 100, 3)) {
            byte[] line = new byte[40];
            assertThatThrownBy(() -> b.tryAppend(line, 0, 1, 1, 0)).isInstanceOf(IllegalStateException.class);
            b.begin(TestBatches.source(), 0);
            assertThat(b.tryAppend(line, 0, 40, 1, 0)).isTrue();   // 42 framed
            assertThat(b.tryAppend(line, 0, 40, 1, 0)).isTrue();   // 84
            assertThat(b.fits(40, 1)).isFalse();
            assertThat(b.tryAppend(line, 0, 40, 1, 0)).as("over the byte limit").isFalse();
            assertThat(b.tryAppend(line, 0, 10, 1, 0)).isTrue();   // 96, 3 records
            assertThat(b.tryAppend(line, 0, 0, 1, 0)).as("over the record limit").isFalse();
            assertThat(b.recordCount()).isEqualTo(3);
            assertThat(b.endOffset()).isEqualTo(93);

            b.begin(TestBatches.source(), 500);
            assertThat(b.isEmpty()).isTrue();
            assertThat(b.uncompressedBytes()).isZero();
            byte[] big = new byte[85];
            assertThat(b.tryAppend(big, 0, 85, 7, 0)).as("an empty batch takes a record up to its maximum").isTrue();
            assertThatThrownBy(() -> b.tryAppend(new byte[86], 0, 86, 1, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.tryAppend(big, 0, -1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.tryAppend(big, 0, 1, -1, 0)).isInstanceOf(IllegalArgumentException.class);
            ByteBuf buf = b.finish(codecs.get(CodecType.NONE));
            try {
                Batch batch = Batch.parse(buf, ProtocolLimits.DEFAULT);
                assertThat(batch.startOffset()).isEqualTo(500);
                assertThat(batch.endOffset()).isEqualTo(592);
                assertThat(batch.recordCount()).isEqualTo(1);
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void sourceRejectsHeadersTheBatchHeaderCannotHold() {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < 64; i++) {
            headers.put("k" + i, "v".repeat(1024));
        }
        assertThatThrownBy(() -> new BatchSource("t", "a", "h", "/p", 1, headers))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
        headers.put("one-too-many", "x");
        assertThatThrownBy(() -> new BatchSource("t", "a", "h", "/p", 1, headers))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 headers");
        assertThatThrownBy(() -> new BatchSource("t".repeat(256), "a", "h", "/p", 1, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("taskId");
    }

    @Test
    void largestHeaderThatFitsRoundTrips() throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < 48; i++) {
            headers.put(String.format("k%02d", i), "v".repeat(1024));
        }
        BatchSource src = new BatchSource("t".repeat(255), "a".repeat(255), "h".repeat(255), "/" + "p".repeat(4095), 1, headers);
        try (BatchBuilder b = new BatchBuilder(alloc, 1024, 10)) {
            b.begin(src, 0);
            b.tryAppend(new byte[] {'x'}, 0, 1, 1, 0);
            ByteBuf buf = b.finish(codecs.get(CodecType.ZSTD));
            try {
                Batch batch = Batch.parse(buf, ProtocolLimits.DEFAULT);
                assertThat(batch.headers()).isEqualTo(headers);
                assertThat(batch.path()).hasSize(4096);
            } finally {
                buf.release();
            }
        }
    }
}
