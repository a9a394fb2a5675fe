package io.datastream.bench.protocol;

import io.datastream.protocol.batch.BatchBuilder;
import io.datastream.protocol.codec.Codec;
import io.datastream.embedded.logs.LogGenerator;
import io.datastream.embedded.logs.LogKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Prints the compression ratio of a whole 1 MiB batch (header included) per log kind and codec,
 * averaged over 16 batches of consecutive data; with {@code --write-samples DIR [MiB]} also
 * writes one sample file per kind (default 64 MiB) for comparing with the lz4 and zstd tools.
 *
 * <pre>
 * java -cp ds-bench/target/ds-bench.jar io.datastream.bench.protocol.CompressionRatios [--write-samples /tmp/samples 64]
 * </pre>
 */
public final class CompressionRatios {
    private static final String[] CODECS = {"none", "lz4", "zstd-1", "zstd-3"};
    private static final int BATCHES = 16;
    /** Sizes only: no pooling, and no leak detector recording every append when run under tests. */
    private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(true, true);

    private CompressionRatios() {
    }

    /** Source bytes divided by batch bytes for {@code BATCHES} consecutive 1 MiB batches of {@code kind}. */
    public static double ratio(LogKind kind, String codecName) {
        return ratio(BenchData.of(kind, 42, BenchData.SOURCE_BYTES * BATCHES), codecName);
    }

    /** Source bytes divided by batch bytes when {@code all} is cut into batches of at most 1 MiB of lines. */
    public static double ratio(BenchData all, String codecName) {
        long in = 0;
        long out = 0;
        try (Codec codec = BenchData.codec(codecName);
             BatchBuilder b = new BatchBuilder(ALLOC, BenchData.MAX_BATCH_BYTES, 1 << 20)) {
            int line = 0;
            while (line < all.lineCount()) {
                b.begin(BenchData.SOURCE, all.starts[line]);
                int first = line;
                while (line < all.lineCount() && all.starts[line] + all.lengths[line] + 1 - all.starts[first] <= BenchData.SOURCE_BYTES) {
                    b.tryAppend(all.file, all.starts[line], all.lengths[line], 1, 0);
                    line++;
                }
                ByteBuf batch = b.finish(codec);
                in += b.endOffset() - b.startOffset();
                out += batch.readableBytes();
                batch.release();
            }
        }
        return (double) in / out;
    }

    public static void main(String[] args) throws IOException {
        System.out.printf(Locale.ROOT, "%-11s %8s %8s %8s %8s%n", "kind", CODECS[0], CODECS[1], CODECS[2], CODECS[3]);
        for (LogKind kind : LogKind.values()) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-11s", kind));
            BenchData data = BenchData.of(kind, 42, BenchData.SOURCE_BYTES * BATCHES);
            for (String c : CODECS) {
                row.append(String.format(Locale.ROOT, " %8.2f", ratio(data, c)));
            }
            System.out.println(row);
        }
        if (args.length >= 2 && args[0].equals("--write-samples")) {
            Path dir = Files.createDirectories(Path.of(args[1]));
            long mib = args.length >= 3 ? Long.parseLong(args[2]) : 64;
            for (LogKind kind : LogKind.values()) {
                Path file = dir.resolve(kind.name().toLowerCase(Locale.ROOT) + ".log");
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                    LogGenerator.of(kind, 42).writeTo(out, mib << 20);
                }
                System.out.println("wrote " + file);
            }
        }
    }
}
