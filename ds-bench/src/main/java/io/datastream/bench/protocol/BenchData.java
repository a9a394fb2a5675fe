package io.datastream.bench.protocol;

import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.Codec;
import io.datastream.protocol.codec.CodecType;
import io.datastream.embedded.logs.LogGenerator;
import io.datastream.embedded.logs.LogKind;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Exactly {@link #SOURCE_BYTES} bytes of a log file of one kind, as whole newline-terminated
 * lines (the last one cut short to land on the size), with where each line starts: what a
 * tailer hands to the batch builder.
 */
public final class BenchData {
    /** Source bytes per batch (lines and their newlines): 1 MiB. */
    public static final int SOURCE_BYTES = 1 << 20;
    /** Room in the builder for 1 MiB of lines plus their framing. */
    public static final int MAX_BATCH_BYTES = SOURCE_BYTES + (SOURCE_BYTES >> 3);

    public static final BatchSource SOURCE = new BatchSource("bench-task", "bench-agent", "bench-host-01",
            "/var/log/bench/app.log", 0x0123_4567_89AB_CDEFL, Map.of("logType", "bench"));

    /** The file content. */
    public final byte[] file;
    /** Start index in {@link #file} of each line. */
    public final int[] starts;
    /** Content length of each line (its newline excluded). */
    public final int[] lengths;

    private BenchData(byte[] file, int[] starts, int[] lengths) {
        this.file = file;
        this.starts = starts;
        this.lengths = lengths;
    }

    public int lineCount() {
        return starts.length;
    }

    /** 1 MiB of {@code kind} lines from seed 42, the same every time. */
    public static BenchData of(LogKind kind) {
        return of(kind, 42, SOURCE_BYTES);
    }

    public static BenchData of(LogKind kind, long seed, int bytes) {
        LogGenerator gen = LogGenerator.of(kind, seed);
        byte[] file = Arrays.copyOf(gen.generate(bytes), bytes);
        int whole = 0;
        for (int i = 0; i < file.length; i++) {
            if (file[i] == '\n') {
                whole = i + 1;
            }
        }
        if (whole < bytes) { // fill the rest with the start of the next line, cut short
            byte[] next = gen.nextLine();
            int room = bytes - whole - 1;
            for (int i = 0; i < room; i++) {
                file[whole + i] = i < next.length ? next[i] : (byte) 'x';
            }
            file[bytes - 1] = '\n';
        }
        int n = 0;
        for (byte b : file) {
            if (b == '\n') {
                n++;
            }
        }
        int[] starts = new int[n];
        int[] lengths = new int[n];
        int line = 0;
        int start = 0;
        for (int i = 0; i < file.length; i++) {
            if (file[i] == '\n') {
                starts[line] = start;
                lengths[line] = i - start;
                line++;
                start = i + 1;
            }
        }
        return new BenchData(file, starts, lengths);
    }

    /** Codec settings the benchmarks compare, by name: none, lz4, zstd-1, zstd-3. */
    public static Codec codec(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "none" -> CodecType.NONE.create();
            case "lz4" -> CodecType.LZ4.create();
            case "zstd-1" -> CodecType.ZSTD.create(1);
            case "zstd-3" -> CodecType.ZSTD.create(3);
            default -> throw new IllegalArgumentException("unknown codec setting '" + name + "': none, lz4, zstd-1 or zstd-3");
        };
    }
}
