package io.datastream.agent.tail;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import io.datastream.protocol.batch.Lines;
import io.datastream.registry.task.Multiline;
import io.datastream.registry.task.TaskSpec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordReaderTest {
    @TempDir
    Path dir;

    record Rec(long offset, byte[] content, long gap) {
        String text() {
            return new String(content, StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Collects records with their offsets, refusing after {@code capacity} records per read, and
     * taking at most {@code linesPerCall} lines per {@link #acceptLines} (a sink may take fewer than
     * it could: the reader goes on with the line it stopped at).
     */
    static final class Collector implements RecordSink {
        final List<Rec> records = new ArrayList<>();
        StreamCursor cursor;
        int capacity = Integer.MAX_VALUE;
        int linesPerCall = Integer.MAX_VALUE;
        int taken;

        @Override
        public boolean accept(byte[] buf, int index, int length, long gap) {
            if (taken >= capacity) {
                return false;
            }
            taken++;
            records.add(new Rec(cursor.offset(), Arrays.copyOfRange(buf, index, index + length), gap));
            return true;
        }

        /** The cursor stays at {@code from} during the call: each line's offset is counted from it. */
        @Override
        public long acceptLines(byte[] buf, int from, int to, int maxLength) {
            long at = cursor.offset();
            int p = from;
            int lines = 0;
            while (lines < linesPerCall && taken < capacity) {
                int nl = Lines.indexOfNewline(buf, p, to);
                if (nl < 0 || nl - p > maxLength) {
                    break;
                }
                taken++;
                records.add(new Rec(at + (p - from), Arrays.copyOfRange(buf, p, nl), 1));
                lines++;
                p = nl + 1;
            }
            return RecordSink.taken(lines, p);
        }

        List<String> texts() {
            return records.stream().map(Rec::text).toList();
        }
    }

    private Path file;
    private final Collector out = new Collector();

    private void write(String s) throws IOException {
        write(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private void write(byte[] b) throws IOException {
        if (file == null) {
            file = dir.resolve("f.log");
        }
        Files.write(file, b, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private RecordReader.Outcome read(RecordReader r, StreamCursor c, LineRules rules, boolean fin, boolean timeout) throws IOException {
        out.cursor = c;
        out.taken = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return r.read(ch, c, rules, out, Long.MAX_VALUE, fin, timeout, 0);
        }
    }

    private static void assertContiguous(List<Rec> recs, long from) {
        long next = from;
        for (Rec r : recs) {
            assertThat(r.offset()).as("record offsets are contiguous").isEqualTo(next);
            next = r.offset() + r.content().length + r.gap();
        }
    }

    @Test
    void linesAreSentOnlyOnceTheirNewlineIsRead() throws IOException {
        RecordReader r = new RecordReader(4096);
        StreamCursor c = new StreamCursor(0);
        LineRules rules = LineRules.plain(1024, false);
        write("one\ntwo\nthr");
        assertThat(read(r, c, rules, false, false)).isEqualTo(RecordReader.Outcome.EOF);
        assertThat(out.texts()).containsExactly("one", "two");
        assertThat(c.offset()).isEqualTo(8);
        write("ee\n\nfour");
        read(r, c, rules, false, false);
        assertThat(out.texts()).containsExactly("one", "two", "three", "");
        read(r, c, rules, true, false);
        assertThat(out.texts()).containsExactly("one", "two", "three", "", "four");
        assertThat(out.records.get(4).gap()).as("a final line without newline has no gap").isZero();
        assertContiguous(out.records, 0);
        assertThat(c.offset()).isEqualTo(Files.size(file));
    }

    @Test
    void bytesThatAreNotUtf8PassUntouched() throws IOException {
        byte[] b = {(byte) 0xFF, (byte) 0xC3, 0x28, 0, 1, '\r', '\n', (byte) 0x80, '\n'};
        write(b);
        read(new RecordReader(4096), new StreamCursor(0), LineRules.plain(64, false), false, false);
        assertThat(out.records.get(0).content()).containsExactly((byte) 0xFF, (byte) 0xC3, 0x28, 0, 1, '\r');
        assertThat(out.records.get(1).content()).containsExactly((byte) 0x80);
    }

    @Test
    void overLongLinesAreSplitIntoPiecesWithoutLoss() throws IOException {
        write("a".repeat(40) + "\n" + "b".repeat(32) + "\nc\n");
        StreamCursor c = new StreamCursor(0);
        read(new RecordReader(4096), c, LineRules.plain(16, true), false, false);
        assertThat(out.texts()).containsExactly("a".repeat(16), "a".repeat(16), "a".repeat(8), "b".repeat(16), "b".repeat(16), "c");
        assertThat(out.records.stream().mapToLong(Rec::gap).toArray()).containsExactly(0, 0, 1, 0, 1, 1);
        assertContiguous(out.records, 0);
        assertThat(c.splitRecords()).isEqualTo(3);
        assertThat(c.droppedLines()).isZero();
    }

    @Test
    void overLongLinesAreTruncatedAndCounted() throws IOException {
        write("x".repeat(100) + "\nshort\n");
        StreamCursor c = new StreamCursor(0);
        read(new RecordReader(4096), c, LineRules.plain(16, false), false, false);
        assertThat(out.texts()).containsExactly("x".repeat(16), "short");
        assertThat(out.records.get(0).gap()).isEqualTo(85);
        assertContiguous(out.records, 0);
        assertThat(c.droppedLines()).isEqualTo(1);
        assertThat(c.droppedBytes()).isEqualTo(84);
    }

    @Test
    void aHugeLineIsTruncatedWithBoundedMemoryEvenWhileItIsStillBeingWritten() throws IOException {
        RecordReader r = new RecordReader(4096);
        StreamCursor c = new StreamCursor(0);
        LineRules rules = LineRules.plain(1000, false);
        write("head\n");
        byte[] chunk = new byte[1 << 20];
        Arrays.fill(chunk, (byte) 'z');
        for (int i = 0; i < 8; i++) {
            write(chunk);
            read(r, c, rules, false, false);
            assertThat(r.capacity()).as("buffer stays bounded by the line limit").isLessThanOrEqualTo(4096 + 1001 + 1024);
        }
        assertThat(out.texts()).containsExactly("head");
        assertThat(c.skipping()).isTrue();
        write("tail\nnext\n");
        read(r, c, rules, false, false);
        assertThat(out.texts()).containsExactly("head", "z".repeat(1000), "next");
        assertContiguous(out.records, 0);
        assertThat(c.droppedBytes()).isEqualTo(8L * (1 << 20) + 4 - 1000);
        assertThat(c.offset()).isEqualTo(Files.size(file));
    }

    @Test
    void aTruncatedLineWithoutNewlineIsFlushedWhenTheFileIsFinal() throws IOException {
        write("y".repeat(5000));
        StreamCursor c = new StreamCursor(0);
        RecordReader r = new RecordReader(4096);
        read(r, c, LineRules.plain(100, false), false, false);
        assertThat(out.records).isEmpty();
        read(r, c, LineRules.plain(100, false), true, false);
        assertThat(out.texts()).containsExactly("y".repeat(100));
        assertThat(out.records.get(0).gap()).isEqualTo(4900);
        assertThat(c.offset()).isEqualTo(5000);
    }

    @Test
    void aFullSinkStopsTheReadAndTheNextReadGoesOnExactly() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            sb.append("line ").append(i).append('\n');
        }
        write(sb.toString());
        RecordReader r = new RecordReader(4096);
        StreamCursor c = new StreamCursor(0);
        out.capacity = 7;
        RecordReader.Outcome o;
        int reads = 0;
        do {
            o = read(r, c, LineRules.plain(64, false), false, false);
            reads++;
        } while (o == RecordReader.Outcome.FULL);
        assertThat(reads).isEqualTo(143);
        assertThat(out.records).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(out.records.get(i).text()).isEqualTo("line " + i);
        }
        assertContiguous(out.records, 0);
    }

    private static LineRules multiline(String start, int maxLines, int maxBytes, boolean split) {
        TaskSpec spec = new TaskSpec("t", List.of("/x"), null, null, null, new Multiline(start, maxLines, 100L), maxBytes,
                split ? TaskSpec.OverLongLines.SPLIT : TaskSpec.OverLongLines.TRUNCATE, null, null, null, null, null, null);
        return LineRules.of(spec);
    }

    @Test
    void multilineJoinsContinuationLinesUntilTheNextStart() throws IOException {
        write("cont-at-start\n2024 a\n  at x\n  at y\n2024 b\n2024 c\n  at z\n");
        StreamCursor c = new StreamCursor(0);
        RecordReader r = new RecordReader(4096);
        LineRules rules = multiline("^2024", 10, 4096, false);
        read(r, c, rules, false, false);
        assertThat(out.texts()).containsExactly("cont-at-start", "2024 a\n  at x\n  at y", "2024 b");
        assertThat(c.offset()).as("the last group waits for the next start or the timeout").isEqualTo(Files.size(file) - 14);
        read(r, c, rules, false, true);
        assertThat(out.texts()).endsWith("2024 c\n  at z");
        assertContiguous(out.records, 0);
        assertThat(c.offset()).isEqualTo(Files.size(file));
    }

    @Test
    void multilineStopsAtMaxLines() throws IOException {
        write("S1\na\nb\nc\nd\nS2\n");
        StreamCursor c = new StreamCursor(0);
        read(new RecordReader(4096), c, multiline("^S", 3, 4096, false), false, false);
        assertThat(out.texts()).containsExactly("S1\na\nb", "c\nd");
        assertContiguous(out.records, 0);
    }

    @Test
    void multilineOverLongGroupsAreTruncatedUpToTheNextStart() throws IOException {
        write("S head\n" + "  more line\n".repeat(50) + "S next\n" + "S last\n");
        StreamCursor c = new StreamCursor(0);
        read(new RecordReader(4096), c, multiline("^S", 500, 32, false), false, false);
        assertThat(out.texts()).containsExactly(("S head\n" + "  more line\n".repeat(3)).substring(0, 32), "S next");
        assertContiguous(out.records, 0);
        assertThat(c.droppedLines()).isEqualTo(1);
    }

    @Test
    void startPatternSeesUtf8() throws IOException {
        write("début x\nsuite\ndébut y\n".getBytes(StandardCharsets.UTF_8));
        StreamCursor c = new StreamCursor(0);
        read(new RecordReader(4096), c, multiline("^début", 50, 4096, false), false, false);
        assertThat(out.records).hasSize(1);
        assertThat(new String(out.records.get(0).content(), StandardCharsets.UTF_8)).isEqualTo("début x\nsuite");
    }

    /**
     * Random content written in random pieces and read with random budgets, sink capacities and
     * rules: records are contiguous, every record's bytes are the file's bytes, and in split mode
     * content plus newlines rebuild the file exactly.
     */
    @Test
    void randomFilesReadInRandomPiecesAreCutConsistently() throws IOException {
        Random rnd = new Random(42);
        for (int round = 0; round < 150; round++) {
            file = dir.resolve("r" + round + ".log");
            out.records.clear();
            int max = 16 + rnd.nextInt(300);
            boolean split = rnd.nextBoolean();
            LineRules rules = rnd.nextBoolean() ? LineRules.plain(max, split) : multiline("^S", 1 + rnd.nextInt(6), max, split);
            byte[] content = randomContent(rnd, 2000 + rnd.nextInt(30000));
            RecordReader r = new RecordReader(4096);
            StreamCursor c = new StreamCursor(0);
            int written = 0;
            while (written < content.length) {
                int n = Math.min(content.length - written, 1 + rnd.nextInt(3000));
                write(Arrays.copyOfRange(content, written, written + n));
                written += n;
                out.capacity = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(3) : Integer.MAX_VALUE;
                out.linesPerCall = rnd.nextInt(3) == 0 ? rnd.nextInt(4) : Integer.MAX_VALUE;
                for (int k = 0; k < 50; k++) {
                    out.cursor = c;
                    out.taken = 0;
                    RecordReader.Outcome o;
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                        o = r.read(ch, c, rules, out, 1 + rnd.nextInt(5000), false, rnd.nextInt(5) == 0, 0);
                    }
                    if (o == RecordReader.Outcome.EOF) {
                        break;
                    }
                }
            }
            out.capacity = Integer.MAX_VALUE;
            out.linesPerCall = Integer.MAX_VALUE;
            RecordReader.Outcome o;
            do {
                o = read(r, c, rules, true, true);
            } while (o != RecordReader.Outcome.EOF);
            assertContiguous(out.records, 0);
            assertThat(c.offset()).isEqualTo(content.length);
            assertThat(c.records()).isEqualTo(out.records.size());
            assertThat(c.consumedBytes()).isEqualTo(out.records.stream().mapToLong(rec -> rec.content().length + rec.gap()).sum());
            for (Rec rec : out.records) {
                assertThat(rec.content().length).isLessThanOrEqualTo(max);
                assertThat(rec.content()).isEqualTo(Arrays.copyOfRange(content, (int) rec.offset(), (int) rec.offset() + rec.content().length));
            }
            if (split) {
                assertThat(c.droppedBytes()).isZero();
                for (Rec rec : out.records) {
                    assertThat(rec.gap()).isBetween(0L, 1L);
                }
            }
        }
    }

    private static byte[] randomContent(Random rnd, int n) {
        byte[] b = new byte[n];
        int i = 0;
        while (i < n) {
            int lineLen = rnd.nextInt(10) == 0 ? rnd.nextInt(1500) : rnd.nextInt(80);
            if (rnd.nextInt(3) == 0 && i < n) {
                b[i++] = 'S';
            }
            for (int k = 0; k < lineLen && i < n; k++) {
                b[i++] = (byte) (rnd.nextInt(20) == 0 ? rnd.nextInt(256) : 'a' + rnd.nextInt(26));
                if (b[i - 1] == '\n') {
                    b[i - 1] = 'n';
                }
            }
            if (i < n) {
                b[i++] = '\n';
            }
        }
        return b;
    }

    @Test
    void patternIsCompiledOncePerRules() {
        LineRules a = multiline("^x", 2, 100, false);
        assertThat(a.startPattern()).isInstanceOf(Pattern.class);
        assertThat(a.evalPrefix()).isEqualTo(100);
    }
}
