package io.datastream.protocol.report;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the JSON body of {@code POST /api/v1/reports} (docs/control.md, Reports): the source and
 * its minutes, counts that are zero left out. Task ids and reasons are checked by the ledger
 * against the characters control accepts, and the source id by the configuration, so nothing here
 * needs escaping beyond what {@link #string} does for safety.
 */
public final class ReportBody {
    private ReportBody() {
    }

    /** One body and the entries it holds. */
    public record Chunk(byte[] json, List<MinuteLedger.Entry> entries) {
    }

    /**
     * Splits {@code entries} into bodies of at most {@code maxBytes} bytes (an entry larger than
     * that alone still makes one body) and at most {@code maxMinutes} minutes each.
     */
    public static List<Chunk> chunks(ReportSource kind, String sourceId, List<MinuteLedger.Entry> entries, int maxBytes,
                                     int maxMinutes) {
        List<Chunk> out = new ArrayList<>();
        String head = "{\"source\":{\"kind\":\"" + kind.wireName() + "\",\"id\":" + string(sourceId) + "},\"minutes\":[";
        StringBuilder sb = new StringBuilder(head);
        List<MinuteLedger.Entry> in = new ArrayList<>();
        for (MinuteLedger.Entry e : entries) {
            String m = minute(e);
            if (!in.isEmpty() && (sb.length() + m.length() + 3 > maxBytes || in.size() >= maxMinutes)) {
                out.add(new Chunk((sb + "]}").getBytes(StandardCharsets.UTF_8), in));
                sb = new StringBuilder(head);
                in = new ArrayList<>();
            }
            if (!in.isEmpty()) {
                sb.append(',');
            }
            sb.append(m);
            in.add(e);
        }
        if (!in.isEmpty()) {
            out.add(new Chunk((sb + "]}").getBytes(StandardCharsets.UTF_8), in));
        }
        return out;
    }

    static String minute(MinuteLedger.Entry e) {
        StringBuilder sb = new StringBuilder(128);
        sb.append("{\"minute\":").append(e.minute()).append(",\"task\":").append(string(e.task())).append(",\"counts\":{");
        boolean first = true;
        for (ReportCount c : ReportCount.values()) {
            // a count taken back below zero (a discarded batch whose read the ledger had refused,
            // which it counted) is sent as 0: control refuses negative counts, and the whole body with them
            long v = Math.max(0, e.counts()[c.ordinal()]);
            if (v == 0) {
                continue;
            }
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append('"').append(c.json()).append("\":").append(v);
        }
        for (ReasonKind k : ReasonKind.values()) {
            Map<String, Long> m = e.reasons().get(k.ordinal());
            if (m.isEmpty()) {
                continue;
            }
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append('"').append(k.json()).append("\":{");
            boolean f2 = true;
            for (Map.Entry<String, Long> r : m.entrySet()) {
                if (!f2) {
                    sb.append(',');
                }
                f2 = false;
                sb.append(string(r.getKey())).append(':').append(r.getValue());
            }
            sb.append('}');
        }
        LatencyHistogram h = e.latency();
        if (h != null && h.count() > 0) {
            if (!first) {
                sb.append(',');
            }
            sb.append("\"latencyMaxMs\":").append(h.max()).append(",\"latencyBuckets\":{");
            boolean f2 = true;
            for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
                if (h.count(i) != 0) {
                    sb.append(f2 ? "\"" : ",\"").append(i).append("\":").append(h.count(i));
                    f2 = false;
                }
            }
            sb.append('}');
        }
        return sb.append("}}").toString();
    }

    /** A JSON string literal. */
    static String string(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"' || ch == '\\') {
                sb.append('\\').append(ch);
            } else if (ch < 0x20) {
                sb.append(String.format("\\u%04x", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.append('"').toString();
    }
}
