package io.datastream.bench.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.protocol.ProtocolLimits;
import io.datastream.protocol.batch.Batch;
import io.datastream.protocol.batch.RecordCursor;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.embedded.logs.LogKind;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openjdk.jmh.infra.Blackhole;

/** The benchmark measures what it claims: 1 MiB of lines per batch, every one back intact after decode. */
class BenchDataTest {
    private static final String[] CODECS = {"none", "lz4", "zstd-1", "zstd-3"};

    @ParameterizedTest
    @EnumSource(LogKind.class)
    void eachBenchmarkBatchHoldsExactlyOneMebibyteOfLinesThatComeBackIntact(LogKind kind) throws Exception {
        BenchData data = BenchData.of(kind);
        assertThat(data.file).hasSize(BenchData.SOURCE_BYTES);
        assertThat(data.file[data.file.length - 1]).isEqualTo((byte) '\n');
        assertThat(data.lineCount()).isGreaterThan(1000);
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(true, true);
        Long expectedSum = null;
        for (String codec : CODECS) {
            ProtocolBench bench = new ProtocolBench();
            bench.kind = kind;
            bench.codec = codec;
            // instrumented, no leak detector: its metric is the (exact) leak check, and the
            // paranoid detector would record a stack trace on every append
            bench.alloc = alloc;
            bench.setUp();
            try (CodecSet codecs = new CodecSet()) {
                assertThat(bench.encode1MiB()).isPositive();
                Batch parsed = Batch.parse(bench.batch(), ProtocolLimits.DEFAULT);
                assertThat(parsed.endOffset() - parsed.startOffset()).isEqualTo(BenchData.SOURCE_BYTES);
                int i = 0;
                try (RecordCursor c = parsed.openRecords(codecs, alloc)) {
                    while (c.next()) {
                        assertThat(c.offset()).isEqualTo(data.starts[i]);
                        byte[] expected = Arrays.copyOfRange(data.file, data.starts[i], data.starts[i] + data.lengths[i]);
                        assertThat(c.contentBytes()).isEqualTo(expected);
                        i++;
                    }
                }
                assertThat(i).isEqualTo(data.lineCount());
                long sum = bench.decode1MiB(bh);
                if (!codec.equals("none")) { // codec none reads in place: its content indexes differ
                    if (expectedSum == null) {
                        expectedSum = sum;
                    }
                    assertThat(sum).as("decode of %s walks the same records as the others", codec).isEqualTo(expectedSum);
                }
            } finally {
                bench.tearDown();
            }
        }
        assertThat(alloc.metric().usedDirectMemory()).as("every buffer the benchmark took was released").isZero();
    }

    @ParameterizedTest
    @EnumSource(LogKind.class)
    void compressionRatiosAreThoseOfRealLogs(LogKind kind) {
        BenchData fourMiB = BenchData.of(kind, 42, 4 * BenchData.SOURCE_BYTES);
        double lz4 = CompressionRatios.ratio(fourMiB, "lz4");
        double zstd1 = CompressionRatios.ratio(fourMiB, "zstd-1");
        double zstd3 = CompressionRatios.ratio(fourMiB, "zstd-3");
        // codec none: the record framing (2-3 bytes) replaces the newline (1 byte)
        assertThat(CompressionRatios.ratio(fourMiB, "none")).isBetween(0.97, 1.0);
        // lz4 about 4-6:1 and zstd -1 about 8-12:1 on real logs; a little slack for 1 MiB blocks
        assertThat(lz4).isBetween(3.5, 6.5);
        assertThat(zstd1).isBetween(7.0, 12.5);
        // level 3 is not always smaller than level 1 (on these JSON lines it is not; the zstd tool agrees)
        assertThat(zstd3).isGreaterThan(lz4);
    }
}
