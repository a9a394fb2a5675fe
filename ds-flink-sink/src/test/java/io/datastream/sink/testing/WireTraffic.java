package io.datastream.sink.testing;

import io.datastream.protocol.codec.CodecType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** What the at-least-once wire delivers to Kafka: every batch once, and the re-sends an agent or router makes. */
public final class WireTraffic {
    private WireTraffic() {
    }

    /**
     * Every batch once, plus exact re-sends, re-cut batches that overlap earlier ones, neighbours
     * swapped (out of order), the same file over several partitions, and finally a re-read of every
     * file from offset 0 (an agent that lost its checkpoint). Files are interleaved at random.
     */
    public static List<byte[]> atLeastOnce(List<SourceFile> files, int batchLines, Random rnd) {
        CodecType[] codecs = CodecType.values();
        List<byte[]> out = new ArrayList<>();
        for (SourceFile f : files) {
            List<byte[]> stream = new ArrayList<>();
            for (int from = 0; from < f.lineCount(); from += batchLines) {
                int to = Math.min(f.lineCount(), from + batchLines);
                stream.add(f.envelope(from, to, codecs[rnd.nextInt(codecs.length)]));
                if (rnd.nextInt(10) < 3) {
                    stream.add(f.envelope(from, to, codecs[rnd.nextInt(codecs.length)]));
                }
                if (rnd.nextInt(10) < 3) {
                    int shift = 1 + rnd.nextInt(batchLines - 1);
                    stream.add(f.envelope(Math.min(from + shift, f.lineCount() - 1), Math.min(f.lineCount(), to + shift), CodecType.ZSTD));
                }
            }
            for (int i = 0; i + 1 < stream.size(); i++) {
                if (rnd.nextInt(10) < 3) {
                    Collections.swap(stream, i, i + 1);
                }
            }
            int half = f.lineCount() / 2;
            stream.add(f.envelope(0, half, CodecType.LZ4));
            stream.add(f.envelope(half, f.lineCount(), CodecType.ZSTD));
            out.addAll(stream);
        }
        // interleave the files: arrival order across (and within) files is scrambled
        List<byte[]> mixed = new ArrayList<>(out);
        Collections.shuffle(mixed, rnd);
        return mixed;
    }

    /** Every line of the files, in file order: what the output must hold, each exactly once. */
    public static List<String> allLines(List<SourceFile> files) {
        List<String> out = new ArrayList<>();
        for (SourceFile f : files) {
            for (int i = 0; i < f.lineCount(); i++) {
                out.add(f.line(i));
            }
        }
        return out;
    }

    /** Lines {@code [from, to)} of a file. */
    public static List<String> lines(SourceFile f, int from, int to) {
        List<String> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(f.line(i));
        }
        return out;
    }

    /** The first {@code lines} lines of a file, same identity (agent, fingerprint, offsets) and event times. */
    public static SourceFile prefix(SourceFile f, int lines) {
        return new SourceFile(f.source().taskId(), f.source().agentId(), f.source().host(), f.source().path(),
                f.source().fingerprint(), lines(f, 0, lines), f.eventTime(0), f.eventTime(1) - f.eventTime(0));
    }
}
