package io.datastream.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** How {@code ds ctl} shows sizes, durations, ages and small lists in its tables. */
final class Formats {
    private Formats() {
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String millis(long ms) {
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        if (ms < 3_600_000) {
            return (ms / 60_000) + "m" + ((ms / 1000) % 60) + "s";
        }
        return (ms / 3_600_000) + "h" + ((ms / 60_000) % 60) + "m";
    }

    /** "12s ago" from a wall-clock time in milliseconds; "-" for 0 (unknown). */
    static String ago(Clock clock, long atMillis) {
        if (atMillis <= 0) {
            return "-";
        }
        return millis(Math.max(0, clock.millis() - atMillis)) + " ago";
    }

    /** The strings of a JSON array joined by commas, "-" when empty. */
    static String list(JsonNode array) {
        if (array == null || !array.isArray() || array.isEmpty()) {
            return "-";
        }
        List<String> s = new ArrayList<>();
        for (JsonNode n : array) {
            s.add(n.asText());
        }
        return String.join(",", s);
    }

    /** k=v pairs of a JSON object joined by commas, "-" when empty. */
    static String labels(JsonNode object) {
        if (object == null || !object.isObject() || object.isEmpty()) {
            return "-";
        }
        List<String> s = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            s.add(e.getKey() + "=" + e.getValue().asText());
        }
        s.sort(null);
        return String.join(",", s);
    }

    /** A text node's value, or "-" when missing or null. */
    static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? "-" : n.asText();
    }
}
