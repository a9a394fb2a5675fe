package io.datastream.sink.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.protocol.codec.CodecType;
import io.datastream.sink.config.DedupConfig;
import io.datastream.sink.config.LineFormat;
import io.datastream.sink.decode.SourceBatch;
import io.datastream.sink.output.OutputChunk;
import io.datastream.sink.source.KafkaRecord;
import io.datastream.sink.testing.SourceFile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * State version 1 (one {@code long[]} per file, release 0.1) read by the version-2 operator, on
 * Flink's operator test harness: the v1 ranges count as delivered for every task of the file,
 * lines beyond them are written, and each task's own ranges then live in version 2. The same,
 * from a real savepoint of release 0.1, is {@code StateMigrationIT}.
 */
class StateV1MigrationTest {
    private static final DedupConfig DEDUP = new DedupConfig(Duration.ofHours(1), 10_000);
    private static final long T0 = 1_700_000_000_000L;

    private final List<String> content = SourceFile.numberedLines("migrate", 60);
    private final SourceFile web = new SourceFile("web", "agent-1", "host-1", "/var/log/app.log", 0x77L, content, T0, 1000);
    private final SourceFile search = new SourceFile("search", "agent-1", "host-1", "/var/log/app.log", 0x77L, content, T0, 1000);
    private KeyedOneInputStreamOperatorTestHarness<String, SourceBatch, OutputChunk> harness;
    private long kafkaOffset;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void versionOneRangesCountAsDeliveredForEveryTaskAndNewLinesAreWritten() throws Exception {
        // release 0.1 delivered lines [0, 20) and [30, 40) of the file (for one task, not recorded which)
        OperatorSubtaskState v1 = versionOneState(web, new long[]{web.offset(0), web.offset(20), web.offset(30), web.offset(40)});

        harness = deduplicator(v1);
        send(web, 0, 50);    // [20, 30) and [40, 50) new
        send(search, 10, 45); // other task: [20, 30) and [40, 45) new
        send(web, 0, 50);    // web has its own ranges now: nothing new
        assertThat(written()).containsExactlyElementsOf(concat(
                lines(20, 30), lines(40, 50),
                lines(20, 30), lines(40, 45)));

        // the new state survives a snapshot: version 2 holds each task's ranges
        OperatorSubtaskState v2 = harness.snapshot(2, 2);
        harness.close();
        harness = deduplicator(v2);
        send(web, 45, 60);
        send(search, 0, 60); // search's own ranges: the v1 ranges it started from plus what it wrote, [0, 45)
        assertThat(written()).containsExactlyElementsOf(concat(lines(50, 60), lines(45, 60)));
    }

    @Test
    void aStateWithoutVersionOneStartsEmpty() throws Exception {
        harness = deduplicator(null);
        send(web, 0, 10);
        send(search, 0, 10);
        assertThat(written()).containsExactlyElementsOf(concat(lines(0, 10), lines(0, 10)));
    }

    /** A snapshot holding the version-1 state of {@code f}'s key, written through the version-1 descriptor. */
    private static OperatorSubtaskState versionOneState(SourceFile f, long[] ranges) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, SourceBatch, Void> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new VersionOneWriter(ranges)), SourceBatch::fileKey, Types.STRING)) {
            h.open();
            h.processElement(new StreamRecord<>(batch(f, 0, 1, 0)));
            return h.snapshot(1, 1);
        }
    }

    /** Writes the given ranges as release 0.1 did: a {@code long[]} in {@code delivered-ranges}. */
    private static final class VersionOneWriter extends KeyedProcessFunction<String, SourceBatch, Void> {
        private static final long serialVersionUID = 1L;
        private final long[] ranges;
        private transient ValueState<long[]> state;

        VersionOneWriter(long[] ranges) {
            this.ranges = ranges;
        }

        @Override
        public void open(OpenContext ctx) {
            state = getRuntimeContext().getState(LineDeduplicator.stateDescriptorV1(DEDUP));
        }

        @Override
        public void processElement(SourceBatch in, Context ctx, Collector<Void> out) throws Exception {
            state.update(ranges);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SourceBatch, OutputChunk> deduplicator(OperatorSubtaskState state)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, SourceBatch, OutputChunk> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new LineDeduplicator(DEDUP, LineFormat.RAW)), SourceBatch::fileKey, Types.STRING);
        if (state != null) {
            h.initializeState(state);
        }
        h.open();
        return h;
    }

    private void send(SourceFile f, int from, int to) throws Exception {
        harness.processElement(new StreamRecord<>(batch(f, from, to, kafkaOffset++)));
    }

    private static SourceBatch batch(SourceFile f, int from, int to, long kafkaOffset) {
        KafkaRecord r = new KafkaRecord("ds-test", 0, kafkaOffset, 0, f.envelope(from, to, CodecType.LZ4));
        return new SourceBatch(SourceBatch.fileKey(f.source().agentId(), f.source().fingerprint()), r);
    }

    private List<String> written() {
        List<String> out = new ArrayList<>();
        for (OutputChunk c : harness.extractOutputValues()) {
            String s = new String(c.data(), StandardCharsets.UTF_8);
            out.addAll(Arrays.asList(s.substring(0, s.length() - 1).split("\n", -1)));
        }
        return out;
    }

    private List<String> lines(int from, int to) {
        return content.subList(from, to);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> out = new ArrayList<>();
        for (List<String> p : parts) {
            out.addAll(p);
        }
        return out;
    }
}
