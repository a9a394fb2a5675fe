package io.datastream.sink.golden;

import io.datastream.protocol.codec.CodecType;
import io.datastream.sink.decode.SourceBatch;
import io.datastream.sink.source.KafkaRecord;
import io.datastream.sink.testing.SourceFile;
import java.util.ArrayList;
import java.util.List;

/**
 * What the golden savepoint of state version 1 ({@code golden/state-v1/}) holds: the lines of
 * three source files that the job of release 0.1 (key {@code agent/fingerprint}, keyed state
 * {@code delivered-ranges}, a {@code long[]} of byte ranges per file) had delivered when the
 * savepoint was taken. Deterministic: the generator and the migration tests build the same
 * files from this class.
 *
 * <ul>
 *   <li>{@link #WEB}: task {@code web}, agent {@code agent-1}, lines [0, 40) delivered (one range);</li>
 *   <li>{@link #GAPPY}: task {@code web}, agent {@code agent-1}, lines [0, 10) and [20, 30)
 *       delivered (two ranges: batches arrived out of order);</li>
 *   <li>{@link #OTHER_AGENT}: task {@code web}, agent {@code agent-2}, the same fingerprint as
 *       {@link #WEB}, lines [0, 15) delivered.</li>
 * </ul>
 */
public final class GoldenStateV1 {
    /** Classpath folder of the savepoint (the folder holding {@code _metadata}). */
    public static final String RESOURCE = "/golden/state-v1/savepoint";
    static final long T0 = 1_764_700_000_000L; // 2025-12-02T18:26:40Z

    public static final SourceFile WEB = new SourceFile("web", "agent-1", "host-1", "/var/log/nginx/access.log", 0x5EB1L,
            SourceFile.numberedLines("golden web", 60), T0, 1000);
    public static final SourceFile GAPPY = new SourceFile("web", "agent-1", "host-1", "/var/log/nginx/error.log", 0x6A99L,
            SourceFile.numberedLines("golden gappy", 40), T0, 1000);
    public static final SourceFile OTHER_AGENT = new SourceFile("web", "agent-2", "host-2", "/var/log/nginx/access.log", 0x5EB1L,
            SourceFile.numberedLines("golden other", 30), T0, 1000);

    /** Lines delivered: WEB [0, 40), GAPPY [0, 10) and [20, 30), OTHER_AGENT [0, 15). */
    public static final int DELIVERED_LINES = 40 + 20 + 15;

    private GoldenStateV1() {
    }

    /** The batches the generator sent, in order (re-sends included, as an agent would). */
    public static List<SourceBatch> batches() {
        List<SourceBatch> out = new ArrayList<>();
        add(out, WEB, 0, 20);
        add(out, WEB, 10, 40);   // overlap: [20, 40) new
        add(out, GAPPY, 20, 30); // out of order
        add(out, GAPPY, 0, 10);
        add(out, OTHER_AGENT, 0, 15);
        add(out, WEB, 0, 40);    // an exact re-send of everything: dropped whole
        return out;
    }

    private static void add(List<SourceBatch> out, SourceFile f, int from, int to) {
        byte[] value = f.envelope(from, to, CodecType.ZSTD);
        KafkaRecord r = new KafkaRecord("ds-golden", 0, out.size(), T0, value);
        out.add(new SourceBatch(SourceBatch.fileKey(f.source().agentId(), f.source().fingerprint()), r));
    }
}
