package io.datastream.agent.tail;

import io.datastream.registry.member.DropReason;
import java.util.LinkedHashMap;
import java.util.Map;

/** One task's dropped records and bytes by reason, totals since the agent started. Owned by the tailer thread. */
final class Drops {
    private static final DropReason[] REASONS = DropReason.values();
    private final long[] lines = new long[REASONS.length];
    private final long[] bytes = new long[REASONS.length];

    void add(DropReason reason, long droppedLines, long droppedBytes) {
        lines[reason.ordinal()] += droppedLines;
        bytes[reason.ordinal()] += droppedBytes;
    }

    long lines() {
        long n = 0;
        for (long l : lines) {
            n += l;
        }
        return n;
    }

    long bytes() {
        long n = 0;
        for (long b : bytes) {
            n += b;
        }
        return n;
    }

    long bytes(DropReason reason) {
        return bytes[reason.ordinal()];
    }

    /** Bytes by reason name, only reasons that dropped something. */
    Map<String, Long> bytesByReason() {
        return byReason(bytes);
    }

    /** Records by reason name, only reasons that dropped something. */
    Map<String, Long> linesByReason() {
        return byReason(lines);
    }

    private static Map<String, Long> byReason(long[] counts) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (DropReason r : REASONS) {
            if (counts[r.ordinal()] != 0) {
                m.put(r.wireName(), counts[r.ordinal()]);
            }
        }
        return m;
    }
}
