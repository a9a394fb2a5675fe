package io.datastream.sink.eventtime;

import io.datastream.protocol.batch.ReservedHeaders;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The parser a batch asks for through its headers {@code ds.time}, {@code ds.time.pattern} and
 * {@code ds.time.zone}; one instance per operator subtask, caching a parser per distinct header
 * combination (bounded). Absent {@code ds.time} or {@code none}: no parser, lines are bucketed by
 * their read time and nothing is counted. A value this sink cannot use (an unknown format, a
 * missing or invalid pattern, an unknown zone) gives a parser that finds no time in any line, so
 * every line falls back to its read time and is counted as such: visible, never a failure.
 */
public final class EventTimeParsers {
    private static final int MAX_CACHED = 64;
    /** Finds no time in any line: for header values this sink cannot use. */
    private static final class Unparsable extends LineTimeParser {
        @Override
        long parseHead(byte[] b, int n, long readTime) {
            return 0;
        }

        @Override
        public String toString() {
            return "unparsable";
        }
    }

    private record Key(String format, String pattern, String zone) {
    }

    private final Map<Key, LineTimeParser> cache = new HashMap<>();
    private String lastFormat;
    private String lastPattern;
    private String lastZone;
    private LineTimeParser last;

    /** The parser for a batch with {@code headers}, or null when the task asks for none. */
    public LineTimeParser forHeaders(Map<String, String> headers) {
        String format = headers.get(ReservedHeaders.TIME_FORMAT);
        if (format == null || format.equals(TimeFormat.NONE.header())) {
            return null;
        }
        String pattern = headers.get(ReservedHeaders.TIME_PATTERN);
        String zone = headers.get(ReservedHeaders.TIME_ZONE);
        if (format.equals(lastFormat) && Objects.equals(pattern, lastPattern) && Objects.equals(zone, lastZone)) {
            return last;
        }
        Key key = new Key(format, pattern, zone);
        LineTimeParser p = cache.get(key);
        if (p == null) {
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            p = create(format, pattern, zone);
            cache.put(key, p);
        }
        lastFormat = format;
        lastPattern = pattern;
        lastZone = zone;
        last = p;
        return p;
    }

    /**
     * A new parser for the header values (null for {@code none}), or one that finds no time when
     * they are not usable.
     */
    public static LineTimeParser create(String format, String pattern, String zone) {
        TimeFormat f = TimeFormat.ofHeader(format);
        if (f == TimeFormat.NONE) {
            return null;
        }
        ZoneId z;
        try {
            z = zone == null ? ZoneOffset.UTC : ZoneId.of(zone);
        } catch (DateTimeException e) {
            return new Unparsable(); // a parser per caller: parsers are single-threaded
        }
        if (f == null) {
            return new Unparsable(); // a parser per caller: parsers are single-threaded
        }
        if (f == TimeFormat.PATTERN) {
            if (pattern == null || pattern.isEmpty()) {
                return new Unparsable(); // a parser per caller: parsers are single-threaded
            }
            try {
                return new PatternTimeParser(pattern, z);
            } catch (IllegalArgumentException e) {
                return new Unparsable(); // a parser per caller: parsers are single-threaded
            }
        }
        return new FormatTimeParser(f, z);
    }
}
