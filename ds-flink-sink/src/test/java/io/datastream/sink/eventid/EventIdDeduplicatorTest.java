package io.datastream.sink.eventid;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.sink.config.DedupConfig;
import io.datastream.sink.output.OutputChunk;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The first line of an id is written; re-sends within the TTL (from the first write, not extended) are dropped; state survives a restore. */
class EventIdDeduplicatorTest {
    private static final DedupConfig DEDUP = new DedupConfig(Duration.ofDays(7), 10_000, Duration.ofHours(1));

    private static KeyedOneInputStreamOperatorTestHarness<String, EventIdLine, OutputChunk> harness(OperatorSubtaskState state) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, EventIdLine, OutputChunk> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new EventIdDeduplicator(DEDUP)), EventIdLine::key, Types.STRING);
        if (state != null) {
            h.initializeState(state);
        }
        h.open();
        return h;
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, EventIdLine, OutputChunk> h, String client, String id, String line)
            throws Exception {
        byte[] data = (line + "\n").getBytes(StandardCharsets.UTF_8);
        h.processElement(new StreamRecord<>(new EventIdLine(EventIdReader.key("sdk", client, id), "sdk", 60_000, new OutputChunk("sdk", 0, data, 1))));
    }

    private static List<String> written(KeyedOneInputStreamOperatorTestHarness<String, EventIdLine, OutputChunk> h) {
        return h.extractOutputValues().stream().map(c -> new String(c.data(), StandardCharsets.UTF_8).trim()).toList();
    }

    @Test
    void theFirstLineOfAnIdIsWrittenWithinTheTtlFromItsFirstWrite() throws Exception {
        try (var h = harness(null)) {
            h.setStateTtlProcessingTime(0);
            send(h, "app-a", "1", "first");
            send(h, "app-b", "1", "other client");
            send(h, "app-a", "2", "other id");
            h.setStateTtlProcessingTime(Duration.ofMinutes(50).toMillis());
            send(h, "app-a", "1", "re-send"); // dropped, and it does not extend the TTL
            h.setStateTtlProcessingTime(Duration.ofMinutes(61).toMillis());
            send(h, "app-a", "1", "after the ttl"); // 61 minutes after the first write: forgotten
            assertThat(written(h)).containsExactly("first", "other client", "other id", "after the ttl");
        }
    }

    @Test
    void idsSurviveASnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(null)) {
            send(h, "c", "1", "one");
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(snapshot)) {
            send(h, "c", "1", "one again");
            send(h, "c", "2", "two");
            assertThat(written(h)).containsExactly("two");
        }
    }
}
