package io.datastream.agent.bench;

import io.datastream.agent.compression.CompressionPool;
import io.datastream.agent.tail.LineRules;
import io.datastream.agent.tail.RecordReader;
import io.datastream.agent.tail.RecordSink;
import io.datastream.agent.tail.StreamCursor;
import io.datastream.protocol.batch.BatchBuilder;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.codec.CodecType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/** The tailer's read -> cut -> append -> compress -> CRC path on one thread, stage by stage (see AgentBenchmark --mode hotpath). */
final class HotPath implements AutoCloseable {
    /** How far down the path a run goes. */
    enum Stage {
        READ_CUT("read + cut lines (sink takes nothing)"),
        APPEND("+ append records to the batch"),
        NONE("+ finish batches, codec none, CRC32C"),
        LZ4("+ finish batches, codec lz4, CRC32C");

        private final String text;

        Stage(String text) {
            this.text = text;
        }

        String describe() {
            return text;
        }
    }

    private static final long TURN_BUDGET = 2 << 20;

    private final int batchBytes;
    private final RecordReader reader = new RecordReader(256 << 10);
    private final BatchBuilder builder;
    private final CodecSet codecs = new CodecSet();
    private final LineRules rules = LineRules.plain(1 << 20, false);
    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    /** The builder the sink appends to. */
    private BatchBuilder target;

    HotPath(int batchBytes) {
        this.batchBytes = batchBytes;
        this.builder = new BatchBuilder(ByteBufAllocator.DEFAULT, batchBytes + (16 << 20) + 64, 100_000);
    }

    /** Runs the path over {@code files} up to {@code stage}; MB of input per CPU-second of this thread. */
    double run(List<Path> files, Stage stage) throws IOException {
        long bytes = 0;
        long cpu0 = mx.getCurrentThreadCpuTime();
        RecordSink sink = stage == Stage.READ_CUT ? (buf, index, length, gap) -> true : append;
        target = builder;
        for (Path p : files) {
            BatchSource source = new BatchSource("bench", "agent", "host", p.toString(), p.hashCode(), Map.of());
            StreamCursor c = new StreamCursor(0);
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                while (true) {
                    builder.begin(source, c.offset());
                    RecordReader.Outcome o = reader.read(ch, c, rules, sink, TURN_BUDGET, false, false, 0);
                    if (stage.compareTo(Stage.NONE) >= 0 && !builder.isEmpty()) {
                        ByteBuf b = builder.finish(codecs.get(stage == Stage.LZ4 ? CodecType.LZ4 : CodecType.NONE));
                        if (b.capacity() > 2 * b.readableBytes() + 1024) {
                            b.capacity(b.readableBytes()); // as the tailer does
                        }
                        b.release();
                    }
                    if (o == RecordReader.Outcome.EOF) {
                        break;
                    }
                }
            }
            bytes += c.consumedBytes();
        }
        return bytes / 1e6 / ((mx.getCurrentThreadCpuTime() - cpu0) / 1e9);
    }

    /** As the tailer's sink: the batch ends at batch.maxBytes; whole lines go in the builder's one loop. */
    private final RecordSink append = new RecordSink() {
        @Override
        public boolean accept(byte[] buf, int index, int length, long gap) {
            if (!target.isEmpty() && target.uncompressedBytes() + length + 16 > batchBytes) {
                return false;
            }
            return target.tryAppend(buf, index, length, gap, 0);
        }

        @Override
        public long acceptLines(byte[] buf, int from, int to, int maxLength) {
            int before = target.recordCount();
            int end = target.appendLines(buf, from, to, maxLength, batchBytes - 16, Integer.MAX_VALUE, Long.MAX_VALUE, 0);
            return RecordSink.taken(target.recordCount() - before, end);
        }
    };

    /**
     * The LZ4 stage with batches finished on {@link CompressionPool} workers ({@code threads}, one
     * more batch in flight than threads): {wall MB/s, MB per CPU-second of this whole JVM}.
     */
    double[] runPooled(List<Path> files, int threads) throws Exception {
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Semaphore ready = new Semaphore(0);
        Consumer<CompressionPool.Done<Void>> done = d -> {
            if (d.failed()) {
                throw d.error();
            }
            d.batch().release();
        };
        long bytes = 0;
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        try (CompressionPool<Void> pool = new CompressionPool<>(threads, threads + 1, ByteBufAllocator.DEFAULT,
                batchBytes + (16 << 20) + 64, 100_000, "bench-compress", ready::release)) {
            for (Path p : files) {
                BatchSource source = new BatchSource("bench", "agent", "host", p.toString(), p.hashCode(), Map.of());
                StreamCursor c = new StreamCursor(0);
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                    while (true) {
                        while ((target = pool.acquire()) == null) {
                            if (pool.drain(done) == 0) {
                                ready.acquire(); // the next in order is on the worker
                            }
                        }
                        target.begin(source, c.offset());
                        RecordReader.Outcome o = reader.read(ch, c, rules, append, TURN_BUDGET, false, false, 0);
                        if (target.isEmpty()) {
                            pool.giveBack(target);
                        } else {
                            pool.submit(target, CodecType.LZ4, null);
                        }
                        pool.drain(done);
                        if (o == RecordReader.Outcome.EOF) {
                            break;
                        }
                    }
                }
                bytes += c.consumedBytes();
            }
            while (pool.inFlight() > 0) {
                if (pool.drain(done) == 0) {
                    ready.acquire();
                }
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        return new double[] {bytes / 1e6 / wall, bytes / 1e6 / cpu};
    }

    @Override
    public void close() {
        builder.close();
        codecs.close();
    }
}
