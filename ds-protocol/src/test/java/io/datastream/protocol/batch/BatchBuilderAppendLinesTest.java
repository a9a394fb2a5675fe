package io.datastream.protocol.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.codec.CodecType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link BatchBuilder#appendLines} builds the batch that {@link BatchBuilder#tryAppend}, line by line, builds. */
class BatchBuilderAppendLinesTest {
    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(true, true);
    private final CodecSet codecs = new CodecSet(1);
    private final BatchSource source = new BatchSource("t", "agent", "host", "/var/log/a.log", 7, Map.of());

    @AfterEach
    void noLeaks() {
        codecs.close();
        assertThat(alloc.metric().usedDirectMemory()).as("direct bytes still allocated").isZero();
        assertThat(alloc.metric().usedHeapMemory()).as("heap bytes still allocated").isZero();
    }

    @Test
    void appendsTheLinesThatTryAppendWouldOneByOne() {
        SplittableRandom r = new SplittableRandom(23);
        int stoppedEarly = 0;
        for (int round = 0; round < 3000; round++) {
            int maxBatch = 64 + r.nextInt(3000);
            int maxRecords = 1 + r.nextInt(40);
            byte[] src = lines(r, 1 + r.nextInt(4000));
            int from = r.nextInt(src.length);
            int to = from + r.nextInt(src.length - from + 1);
            int maxLength = 1 + r.nextInt(400);
            int maxContent = r.nextInt(maxBatch + 200);
            int maxLines = 1 + r.nextInt(50);
            long start = r.nextInt(1000);
            long endLimit = r.nextBoolean() ? Long.MAX_VALUE : start + r.nextInt(src.length + 200);
            try (BatchBuilder bulk = new BatchBuilder(alloc, maxBatch, maxRecords);
                 BatchBuilder one = new BatchBuilder(alloc, maxBatch, maxRecords)) {
                bulk.begin(source, start);
                one.begin(source, start);
                for (int k = r.nextInt(3); k > 0; k--) { // a batch that already holds records, or not
                    byte[] rec = new byte[r.nextInt(50)];
                    assertThat(bulk.tryAppend(rec, 0, rec.length, 1, 5)).isEqualTo(one.tryAppend(rec, 0, rec.length, 1, 5));
                }

                int end = bulk.appendLines(src, from, to, maxLength, maxContent, maxLines, endLimit, 9);

                int p = from;
                while (true) {
                    int nl = plainIndexOf(src, p, to);
                    int length = nl - p;
                    if (nl < 0 || length > maxLength || length > maxBatch - 15) { // longer ones go to tryAppend, which refuses them
                        break;
                    }
                    if (!one.isEmpty() && (one.uncompressedBytes() + length > maxContent || one.recordCount() >= maxLines
                            || one.endOffset() + length + 1 > endLimit)) {
                        break;
                    }
                    if (!one.tryAppend(src, p, length, 1, 9)) {
                        break;
                    }
                    p = nl + 1;
                }
                if (p < to && plainIndexOf(src, p, to) >= 0) {
                    stoppedEarly++;
                }
                assertThat(end).as("round %d", round).isEqualTo(p);
                assertThat(bulk.recordCount()).isEqualTo(one.recordCount());
                assertThat(bulk.uncompressedBytes()).isEqualTo(one.uncompressedBytes());
                assertThat(bulk.endOffset()).isEqualTo(one.endOffset());
                if (!one.isEmpty()) {
                    ByteBuf a = bulk.finish(codecs.get(CodecType.NONE));
                    ByteBuf b = one.finish(codecs.get(CodecType.NONE));
                    try {
                        assertThat(ByteBufUtil.getBytes(a)).as("round %d", round).isEqualTo(ByteBufUtil.getBytes(b));
                    } finally {
                        a.release();
                        b.release();
                    }
                }
            }
        }
        assertThat(stoppedEarly).as("rounds that stopped at a whole line (a limit)").isGreaterThan(500);
    }

    @Test
    void aBatchThatWasNotBegunIsRefusedAndIndexesAreChecked() {
        try (BatchBuilder b = new BatchBuilder(alloc, 1024, 10)) {
            byte[] src = "a\nb\n".getBytes();
            assertThatThrownBy(() -> b.appendLines(src, 0, 4, 100, 1000, 10, Long.MAX_VALUE, 0)).isInstanceOf(IllegalStateException.class);
            b.begin(source, 0);
            assertThatThrownBy(() -> b.appendLines(src, 0, 5, 100, 1000, 10, Long.MAX_VALUE, 0))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(b.appendLines(src, 0, 4, 100, 1000, 10, Long.MAX_VALUE, 0)).isEqualTo(4);
            assertThat(b.recordCount()).isEqualTo(2);
            assertThat(b.endOffset()).isEqualTo(4);
        }
    }

    /** Lines of 0 to 300 bytes, a few longer, the last one often without its newline. */
    private static byte[] lines(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        int i = 0;
        while (i < n) {
            int len = r.nextInt(10) == 0 ? r.nextInt(20_000) : r.nextInt(300);
            for (int k = 0; k < len && i < n; k++) {
                byte c = (byte) r.nextInt(256);
                b[i++] = c == '\n' ? (byte) 'n' : c;
            }
            if (i < n) {
                b[i++] = '\n';
            }
        }
        return b;
    }

    private static int plainIndexOf(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
