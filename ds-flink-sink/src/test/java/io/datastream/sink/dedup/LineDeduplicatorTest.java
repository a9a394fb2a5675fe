package io.datastream.sink.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.protocol.batch.ReservedHeaders;
import io.datastream.protocol.codec.CodecType;
import io.datastream.sink.config.DedupConfig;
import io.datastream.sink.config.LineFormat;
import io.datastream.sink.deadletter.DeadLetter;
import io.datastream.sink.deadletter.DeadLetters;
import io.datastream.sink.decode.SourceBatch;
import io.datastream.sink.output.OutputChunk;
import io.datastream.sink.source.KafkaRecord;
import io.datastream.sink.testing.SourceFile;
import io.datastream.sink.testing.TamperedEnvelopes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The de-duplication operator on Flink's operator test harness (real keyed state, real snapshots). */
class LineDeduplicatorTest {
    private static final DedupConfig DEDUP = new DedupConfig(Duration.ofHours(1), 10_000);

    private final SourceFile file = new SourceFile("web", "agent-1", "host-1", "/var/log/access.log", 0xABCDEFL,
            SourceFile.numberedLines("web", 100), 1_700_000_000_000L, 1000);
    private final SourceFile other = new SourceFile("web", "agent-2", "host-2", "/var/log/access.log", 0xABCDEFL,
            SourceFile.numberedLines("other", 10), 1_700_000_000_000L, 1000);
    private KeyedOneInputStreamOperatorTestHarness<String, SourceBatch, OutputChunk> harness;
    private long kafkaOffset;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness(null);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SourceBatch, OutputChunk> newHarness(OperatorSubtaskState state) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, SourceBatch, OutputChunk> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new LineDeduplicator(DEDUP, LineFormat.RAW)), SourceBatch::fileKey, Types.STRING);
        if (state != null) {
            h.initializeState(state);
        }
        h.open();
        return h;
    }

    private void send(SourceFile f, int from, int to) throws Exception {
        send(f.envelope(from, to, CodecType.ZSTD), f);
    }

    private void send(byte[] value, SourceFile f) throws Exception {
        KafkaRecord r = new KafkaRecord("ds-test", 0, kafkaOffset++, 0, value);
        harness.processElement(new StreamRecord<>(new SourceBatch(SourceBatch.fileKey(f.source().agentId(), f.source().fingerprint()), r)));
    }

    private List<String> written() {
        List<String> out = new ArrayList<>();
        for (OutputChunk c : harness.extractOutputValues()) {
            String s = new String(c.data(), StandardCharsets.UTF_8);
            assertThat(s).endsWith("\n");
            out.addAll(Arrays.asList(s.substring(0, s.length() - 1).split("\n", -1)));
        }
        return out;
    }

    private List<String> lines(SourceFile f, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(f.line(i));
        }
        return out;
    }

    @Test
    void aResentBatchIsDroppedWhole() throws Exception {
        send(file, 0, 10);
        send(file, 0, 10);
        send(file, 10, 20);
        send(file, 0, 20);
        assertThat(written()).containsExactlyElementsOf(lines(file, 0, 20));
    }

    @Test
    void aPartialOverlapWritesOnlyTheNewLines() throws Exception {
        send(file, 0, 10);
        send(file, 5, 15);
        List<String> expected = lines(file, 0, 15);
        assertThat(written()).containsExactlyElementsOf(expected);
        assertThat(harness.extractOutputValues()).extracting(OutputChunk::lines).containsExactly(10, 5);
    }

    @Test
    void outOfOrderBatchesAndResendsAreWrittenOnce() throws Exception {
        send(file, 20, 30);
        send(file, 0, 10);
        send(file, 5, 25);   // fills the gap [10, 20) only
        send(file, 0, 30);   // nothing new
        send(file, 25, 40);  // [30, 40) new
        assertThat(written()).containsExactlyInAnyOrderElementsOf(lines(file, 0, 40));
        assertThat(written()).doesNotHaveDuplicates();
    }

    @Test
    void twoAgentsWithDifferentIdsOnTheSameFingerprintBothDeliver() throws Exception {
        send(file, 0, 10);
        send(other, 0, 10); // same fingerprint and offsets, other agent: other lines
        send(file, 0, 10);
        send(other, 0, 10);
        assertThat(written()).containsExactlyElementsOf(concat(lines(file, 0, 10), lines(other, 0, 10)));
    }

    @Test
    void twoTasksReadingTheSameFileEachDeliverEveryLineOnce() throws Exception {
        // one file, one agent, one fingerprint, the same offsets: read by two tasks into two topics
        SourceFile warehouse = sameFileForTask("warehouse");
        SourceFile search = sameFileForTask("search");
        send(warehouse, 0, 50);
        send(search, 0, 50);
        send(search, 25, 100);   // overlap: [50, 100) new for search
        send(warehouse, 0, 100); // [50, 100) new for warehouse
        send(warehouse, 0, 100); // re-sends: nothing new
        send(search, 0, 100);
        List<String> expected = new ArrayList<>();
        for (List<String> part : List.of(lines(file, 0, 50), lines(file, 0, 50), lines(file, 50, 100), lines(file, 50, 100))) {
            expected.addAll(part);
        }
        assertThat(written()).containsExactlyElementsOf(expected);
        assertThat(harness.extractOutputValues()).extracting(OutputChunk::taskId)
                .containsExactly("warehouse", "search", "search", "warehouse");
    }

    @Test
    void eachLineGoesToTheBucketOfItsEventTimeAndLinesWithoutOneToTheReadTime() throws Exception {
        long read = Instant.parse("2026-12-03T05:30:00Z").toEpochMilli();
        List<String> content = List.of(
                "2026-11-26 13:05:00,100 INFO a backfilled line",
                "\tat com.example.Foo.bar(Foo.java:42)",
                "2026-11-26 13:59:59,999 INFO same hour",
                "2026-11-27 02:00:00,000 WARN next day",
                "no time here",
                "2026-11-26 13:30:00,000 INFO back to the first hour");
        SourceFile timed = new SourceFile("app", "agent-1", "host-1", "/var/log/app.log", 0x99L,
                Map.of(ReservedHeaders.TIME_FORMAT, "auto"), content, read, 0);
        send(timed, 0, 6);
        send(timed, 0, 6); // a re-send: nothing parsed, nothing written
        List<OutputChunk> chunks = harness.extractOutputValues();
        assertThat(chunks).extracting(OutputChunk::eventTime).containsExactly(
                Instant.parse("2026-11-26T13:05:00.100Z").toEpochMilli(), read, Instant.parse("2026-11-27T02:00:00Z").toEpochMilli());
        assertThat(chunks).extracting(c -> new String(c.data(), StandardCharsets.UTF_8)).containsExactly(
                content.get(0) + "\n" + content.get(2) + "\n" + content.get(5) + "\n",
                content.get(1) + "\n" + content.get(4) + "\n",
                content.get(3) + "\n");
    }

    @Test
    void withoutATimeHeaderABatchIsOneChunkAtItsReadTime() throws Exception {
        long read = Instant.parse("2026-12-03T05:30:00Z").toEpochMilli();
        SourceFile untimed = new SourceFile("app", "agent-1", "host-1", "/var/log/app.log", 0x98L,
                List.of("2026-11-26 13:05:00,100 INFO a", "2026-11-27 13:05:00,100 INFO b"), read, 0);
        send(untimed, 0, 2);
        assertThat(harness.extractOutputValues()).extracting(OutputChunk::eventTime).containsExactly(read);
    }

    private SourceFile sameFileForTask(String task) {
        List<String> content = new ArrayList<>();
        for (int i = 0; i < file.lineCount(); i++) {
            content.add(file.line(i));
        }
        return new SourceFile(task, file.source().agentId(), file.source().host(), file.source().path(), file.source().fingerprint(),
                content, 1_700_000_000_000L, 1000);
    }

    @Test
    void stateSurvivesASnapshotAndRestore() throws Exception {
        send(file, 0, 50);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        send(file, 50, 60); // lost with the failure: not in the snapshot
        harness.close();

        harness = newHarness(snapshot);
        send(file, 40, 70); // replay from the checkpoint's offsets, plus an overlap
        assertThat(written()).containsExactlyElementsOf(lines(file, 50, 70));
    }

    @Test
    void afterTheTtlAResendIsWrittenAgain() throws Exception {
        harness.setStateTtlProcessingTime(0);
        send(file, 0, 10);
        harness.setStateTtlProcessingTime(Duration.ofMinutes(59).toMillis());
        send(file, 0, 10); // within the TTL: dropped (and the read refreshes the TTL)
        harness.setStateTtlProcessingTime(Duration.ofMinutes(59 + 61).toMillis());
        send(file, 0, 10); // 61 minutes after the last batch: the ranges expired
        assertThat(written()).containsExactlyElementsOf(concat(lines(file, 0, 10), lines(file, 0, 10)));
    }

    @Test
    void aBatchWhosePayloadDoesNotDecodeIsADeadLetterAndNotMarkedDelivered() throws Exception {
        byte[] good = file.envelope(0, 10, CodecType.ZSTD);
        byte[] bad = TamperedEnvelopes.withBrokenPayload(good);
        send(bad, file);
        assertThat(harness.getSideOutput(DeadLetters.TAG)).hasSize(1);
        DeadLetter d = harness.getSideOutput(DeadLetters.TAG).peek().getValue();
        assertThat(d.stage()).isEqualTo(DeadLetter.STAGE_DECODE);
        assertThat(d.value()).isEqualTo(bad);
        send(good, file);
        assertThat(written()).containsExactlyElementsOf(lines(file, 0, 10));
    }

    @Test
    void everyLineIsKeptByteForByte() throws Exception {
        SourceFile odd = new SourceFile("t", "a", "h", "/p", 1, List.of("tab\there", "", "  spaces  ", "ünïcödé ✓", "\u0000nul"), 1, 1);
        send(odd, 0, 5);
        assertThat(written()).containsExactly("tab\there", "", "  spaces  ", "ünïcödé ✓", "\u0000nul");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
