package io.datastream.bench.protocol;

import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.ProtocolLimits;
import io.datastream.protocol.batch.Batch;
import io.datastream.protocol.batch.BatchBuilder;
import io.datastream.protocol.batch.RecordCursor;
import io.datastream.protocol.codec.Codec;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.embedded.logs.LogKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Batch encode (BatchBuilder: append every line of 1 MiB, then finish = compress + CRC) and
 * decode (Batch.parse = checks + CRC, then RecordCursor over every line = decompress + walk),
 * single-threaded, per log kind and codec.
 *
 * <p>One operation is one byte of source (line bytes and newlines; 1 MiB per invocation) and the
 * unit is ops/us, so <b>the score is MB/s</b> (10^6 bytes per second) of uncompressed line
 * bytes. Compression ratios: {@link CompressionRatios}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(BenchData.SOURCE_BYTES)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Xms1g"})
@State(Scope.Thread)
public class ProtocolBench {
    private static final long EVENT_TIME = 1_714_521_600_000L;

    @Param({"WEB_ACCESS", "JAVA_APP", "JSON"})
    public LogKind kind;

    @Param({"none", "lz4", "zstd-1", "zstd-3"})
    public String codec;

    /** Pooled direct buffers, as agents and routers use; tests put an instrumented one here. */
    ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private BenchData data;
    private Codec encoder;
    private BatchBuilder builder;
    private CodecSet decoders;
    /** The encoded batch, in a direct buffer as a router receives it. */
    private ByteBuf batch;

    @Setup(Level.Trial)
    public void setUp() {
        data = BenchData.of(kind);
        encoder = BenchData.codec(codec);
        builder = new BatchBuilder(alloc, BenchData.MAX_BATCH_BYTES, 1 << 20);
        decoders = new CodecSet(1);
        batch = encode();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        batch.release();
        builder.close();
        encoder.close();
        decoders.close();
    }

    private ByteBuf encode() {
        BatchBuilder b = builder;
        byte[] file = data.file;
        int[] starts = data.starts;
        int[] lengths = data.lengths;
        b.begin(BenchData.SOURCE, 0);
        for (int i = 0; i < starts.length; i++) {
            if (!b.tryAppend(file, starts[i], lengths[i], 1, EVENT_TIME + i)) {
                throw new IllegalStateException("batch full at line " + i);
            }
        }
        return b.finish(encoder);
    }

    /** The batch {@link #decode1MiB} reads (for tests; not retained). */
    ByteBuf batch() {
        return batch;
    }

    /** Builds and compresses a batch of 1 MiB of lines. */
    @Benchmark
    public int encode1MiB() {
        ByteBuf b = encode();
        int n = b.readableBytes();
        b.release();
        return n;
    }

    /** Parses, checks, decompresses and walks every line of a batch of 1 MiB of lines. */
    @Benchmark
    public long decode1MiB(Blackhole bh) throws CorruptBatchException {
        Batch parsed = Batch.parse(batch, ProtocolLimits.DEFAULT);
        long sum = 0;
        try (RecordCursor c = parsed.openRecords(decoders, alloc)) {
            while (c.next()) {
                sum += c.offset() + c.contentIndex() + c.length();
            }
        }
        bh.consume(sum);
        return sum;
    }
}
