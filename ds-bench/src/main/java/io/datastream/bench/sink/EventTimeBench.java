package io.datastream.bench.sink;

import com.github.luben.zstd.ZstdOutputStream;
import io.datastream.bench.protocol.BenchData;
import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.batch.BatchBuilder;
import io.datastream.protocol.codec.Codec;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.envelope.Envelope;
import io.datastream.sink.config.LineFormat;
import io.datastream.sink.eventtime.EventTimeParsers;
import io.datastream.sink.eventtime.LineTimeParser;
import io.datastream.sink.output.BucketChunks;
import io.datastream.sink.output.OutputChunk;
import io.datastream.sink.output.TimeBuckets;
import io.datastream.embedded.logs.LogKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
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
 * What finding each line's event time costs, beside what the sink does with the same lines anyway.
 *
 * <ul>
 *   <li>{@link #parse}: the parser of {@code format} over every line of 1 MiB of {@code kind} lines
 *       (ds-testkit's generators, seed 42), the lines in a pooled direct buffer as after
 *       decompression; {@code none} is the bare loop.</li>
 *   <li>{@link #sink}: the sink's per-line path on the same lines outside Flink: parse the
 *       envelope (lz4, as agents send by default) and walk every line (decompress + framing),
 *       find the line's time with {@code format} ({@code none}: no parsing, the read time), append
 *       it to the chunk of its hour bucket, build the chunks and compress them with zstd level 1
 *       (the output default: {@code ZstdOutputStream} with checksum, as
 *       {@code CompressedLineWriterFactory}). No de-duplication lookups, no Kafka, no file I/O.</li>
 * </ul>
 *
 * <p>One operation is one byte of source (1 MiB per invocation), so <b>the score is MB/s</b>;
 * ns per line = 1,048,576,000 / score / lines (4,130 web access lines, 7,705 Java lines).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(BenchData.SOURCE_BYTES)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Xms1g"})
@State(Scope.Thread)
public class EventTimeBench {
    /** Read time of the batch (syslog's year; the bucket of lines without a time). */
    static final long READ_TIME = 1_714_600_000_000L;
    /** The pattern of the Java generator's lines (logback's default). */
    static final String JAVA_PATTERN = "yyyy-MM-dd HH:mm:ss.SSS";

    @Param({"WEB_ACCESS", "JAVA_APP"})
    public LogKind kind;

    @Param({"none", "auto", "clf", "iso8601", "pattern"})
    public String format;

    private BenchData data;
    private ByteBuf lines;
    private LineTimeParser parser;
    private byte[] envelope;
    private CodecSet codecs;
    private BucketChunks chunks;
    private OutputStream zstd;
    private final Visitor visitor = new Visitor();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        data = BenchData.of(kind);
        lines = PooledByteBufAllocator.DEFAULT.directBuffer(data.file.length);
        lines.writeBytes(data.file);
        parser = EventTimeParsers.create(format, format.equals("pattern") ? JAVA_PATTERN : null, null);
        envelope = envelope(data);
        codecs = new CodecSet(1);
        chunks = new BucketChunks(LineFormat.RAW, new TimeBuckets("'dt='yyyy-MM-dd/'hour='HH", ZoneOffset.UTC));
        ZstdOutputStream z = new ZstdOutputStream(OutputStream.nullOutputStream(), 1);
        z.setChecksum(true);
        zstd = z;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        lines.release();
        codecs.close();
        zstd.close();
    }

    /** The parser alone: lines in which a time was found (the rest would fall back to the read time). */
    @Benchmark
    public int parse() {
        return found(parser, lines, data);
    }

    static int found(LineTimeParser parser, ByteBuf lines, BenchData data) {
        int found = 0;
        if (parser == null) {
            for (int i = 0; i < data.starts.length; i++) {
                found += data.lengths[i] & 1;
            }
            return found;
        }
        for (int i = 0; i < data.starts.length; i++) {
            if (parser.parse(lines, data.starts[i], data.lengths[i], READ_TIME) != LineTimeParser.NO_TIME) {
                found++;
            }
        }
        return found;
    }

    /** Decode, find times, cut into hour chunks, compress: the sink's per-line work with {@code format}. */
    @Benchmark
    public long sink(Blackhole bh) throws CorruptBatchException {
        Envelope e = Envelope.parse(envelope);
        chunks.begin(e.batch());
        visitor.parser = parser;
        e.forEachLine(codecs, visitor);
        chunks.emit("bench", this::write);
        bh.consume(visitor);
        return chunks.size();
    }

    private void write(OutputChunk c) {
        try {
            zstd.write(c.data());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private final class Visitor implements Envelope.LineVisitor {
        LineTimeParser parser;

        @Override
        public void line(long offset, long nextOffset, ByteBuf buffer, int index, int length) {
            long time = READ_TIME;
            if (parser != null) {
                long t = parser.parse(buffer, index, length, READ_TIME);
                if (t != LineTimeParser.NO_TIME) {
                    time = t;
                }
            }
            chunks.append(offset, buffer, index, length, time);
        }
    }

    /** The 1 MiB of lines as one lz4 envelope (a Kafka record value), as an agent builds it. */
    static byte[] envelope(BenchData data) {
        try (BatchBuilder b = new BatchBuilder(PooledByteBufAllocator.DEFAULT, BenchData.MAX_BATCH_BYTES, 1 << 20);
             Codec codec = BenchData.codec("lz4")) {
            b.begin(BenchData.SOURCE, 0);
            for (int i = 0; i < data.starts.length; i++) {
                if (!b.tryAppend(data.file, data.starts[i], data.lengths[i], 1, READ_TIME)) {
                    throw new IllegalStateException("batch full at line " + i);
                }
            }
            ByteBuf out = b.finish(codec);
            try {
                return ByteBufUtil.getBytes(out);
            } finally {
                out.release();
            }
        }
    }

    /** For tests: the lines, the parser and the data of this trial. */
    int foundInSetUp() {
        return found(parser, lines, data);
    }

    int lineCount() {
        return data.lineCount();
    }
}
