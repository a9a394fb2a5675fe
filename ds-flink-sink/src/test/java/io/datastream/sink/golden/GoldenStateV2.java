package io.datastream.sink.golden;

import io.datastream.protocol.codec.CodecType;
import io.datastream.sink.decode.SourceBatch;
import io.datastream.sink.source.KafkaRecord;
import io.datastream.sink.testing.SourceFile;
import java.util.ArrayList;
import java.util.List;

/**
 * What the golden savepoint of state version 2 ({@code golden/state-v2/}) holds: key
 * {@code agent/fingerprint}, keyed state {@code delivered-ranges-v2} (task id -> ranges), no
 * version-1 state. Two tasks read one file; a second agent has the same fingerprint.
 *
 * <ul>
 *   <li>{@link #WAREHOUSE}: task {@code warehouse}, agent {@code agent-1}, lines [0, 30);</li>
 *   <li>{@link #SEARCH}: task {@code search}, the same file, lines [0, 20);</li>
 *   <li>{@link #OTHER_AGENT}: task {@code warehouse}, agent {@code agent-2}, the same fingerprint,
 *       lines [0, 10) and [20, 25).</li>
 * </ul>
 */
public final class GoldenStateV2 {
    /** Classpath folder of the savepoint (the folder holding {@code _metadata}). */
    public static final String RESOURCE = "/golden/state-v2/savepoint";
    static final long T0 = 1_764_740_000_000L; // 2025-12-03T05:33:20Z
    private static final List<String> CONTENT = SourceFile.numberedLines("golden v2", 50);

    public static final SourceFile WAREHOUSE = new SourceFile("warehouse", "agent-1", "host-1", "/var/log/app/app.log", 0x7A1L,
            CONTENT, T0, 1000);
    public static final SourceFile SEARCH = new SourceFile("search", "agent-1", "host-1", "/var/log/app/app.log", 0x7A1L,
            CONTENT, T0, 1000);
    public static final SourceFile OTHER_AGENT = new SourceFile("warehouse", "agent-2", "host-2", "/var/log/app/app.log", 0x7A1L,
            SourceFile.numberedLines("golden v2 other", 50), T0, 1000);

    /** Lines delivered: WAREHOUSE [0, 30), SEARCH [0, 20), OTHER_AGENT [0, 10) and [20, 25). */
    public static final int DELIVERED_LINES = 30 + 20 + 10 + 5;

    private GoldenStateV2() {
    }

    /** The batches the generator sent, in order (re-sends included). */
    public static List<SourceBatch> batches() {
        List<SourceBatch> out = new ArrayList<>();
        add(out, WAREHOUSE, 0, 30);
        add(out, SEARCH, 0, 10);
        add(out, SEARCH, 5, 20);
        add(out, OTHER_AGENT, 20, 25);
        add(out, OTHER_AGENT, 0, 10);
        add(out, WAREHOUSE, 0, 30); // an exact re-send: dropped whole
        return out;
    }

    private static void add(List<SourceBatch> out, SourceFile f, int from, int to) {
        byte[] value = f.envelope(from, to, CodecType.ZSTD);
        KafkaRecord r = new KafkaRecord("ds-golden", 0, out.size(), T0, value);
        out.add(new SourceBatch(SourceBatch.fileKey(f.source().agentId(), f.source().fingerprint()), r));
    }
}
