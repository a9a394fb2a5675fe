package io.datastream.sink.golden;

import io.datastream.protocol.codec.CodecType;
import io.datastream.sink.decode.SourceBatch;
import io.datastream.sink.source.KafkaRecord;
import io.datastream.sink.testing.SourceFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the golden savepoint of the event-id state ({@code golden/state-v3/}) holds: besides the
 * line de-duplication's ranges of one router batch stream, the keyed state {@code event-ids} of
 * the operator {@code ds-sink-event-id-dedup}: key (task, client, id) as
 * {@code EventIdReader.key} builds it, value the time of the first write, with TTL.
 *
 * <ul>
 *   <li>{@link #EVENTS}: task {@code sdk}, router {@code router-1}, a batch stream marked
 *       {@code ds.eventIds: v1}: lines [0, 20) client {@code app-a} ids {@code e-0..e-19}, lines
 *       [20, 30) client {@code app-b} ids {@code e-0..e-9} (the same ids, another client), lines
 *       [30, 40) without an id (de-duplicated by line identity only).</li>
 * </ul>
 */
public final class GoldenStateV3 {
    /** Classpath folder of the savepoint (the folder holding {@code _metadata}). */
    public static final String RESOURCE = "/golden/state-v3/savepoint";
    public static final String TASK = "sdk";
    static final long T0 = 1_764_740_000_000L; // 2025-12-03T05:33:20Z
    /** The batch headers of a router's event batches whose lines may carry client ids. */
    public static final Map<String, String> MARKED = Map.of("ds.eventIds", "v1", "logType", "sdk");

    public static final SourceFile EVENTS = events(0xE1D1L, List.of(
            new Ids("app-a", 0, 20), new Ids("app-b", 0, 10), new Ids(null, 0, 10)));

    /** Lines delivered: all 40 once. */
    public static final int DELIVERED_LINES = 40;

    private GoldenStateV3() {
    }

    /** {@code to - from} events of {@code client} with ids {@code e-from .. e-(to-1)}; no id when {@code client} is null. */
    public record Ids(String client, int from, int to) {
    }

    /** One router's batch stream (incarnation {@code fingerprint}) of the events {@code ids}, in order. */
    public static SourceFile events(long fingerprint, List<Ids> ids) {
        List<String> lines = new ArrayList<>();
        for (Ids r : ids) {
            for (int i = r.from(); i < r.to(); i++) {
                lines.add(event(r.client(), i));
            }
        }
        return new SourceFile(TASK, "router-1", "router-host", "http", fingerprint, MARKED, lines, T0, 1000);
    }

    /** The line the router writes for event {@code e-i} of {@code client} (no id when {@code client} is null). */
    public static String event(String client, int i) {
        String body = "\"body\":\"golden v3 " + (client == null ? "anonymous" : client) + " " + i + "\"";
        return client == null
                ? "{\"headers\":{\"logType\":\"sdk\"}," + body + "}"
                : "{\"headers\":{\"ds.eventId\":\"e-" + i + "\",\"ds.client\":\"" + client + "\",\"logType\":\"sdk\"}," + body + "}";
    }

    /** The batches the generator sent, in order (an exact re-send included). */
    public static List<SourceBatch> batches() {
        List<SourceBatch> out = new ArrayList<>();
        add(out, EVENTS, 0, 25);
        add(out, EVENTS, 25, 40);
        add(out, EVENTS, 0, 40); // an exact re-send: dropped whole by the line ranges
        return out;
    }

    private static void add(List<SourceBatch> out, SourceFile f, int from, int to) {
        byte[] value = f.envelope(from, to, CodecType.ZSTD);
        KafkaRecord r = new KafkaRecord("ds-golden", 0, out.size(), T0, value);
        out.add(new SourceBatch(SourceBatch.fileKey(f.source().agentId(), f.source().fingerprint()), r));
    }
}
