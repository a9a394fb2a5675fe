package io.datastream.registry.task;

import io.datastream.config.Doc;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Where a task's lines carry their event time, so the sink can bucket each line by it (a
 * backfill of last week's logs lands in last week's folders). The agent sends it as the
 * reserved batch headers {@code ds.time}, {@code ds.time.pattern} and {@code ds.time.zone};
 * the sink parses the lines. A line without a parsable time is bucketed by the time it was
 * read, and counted.
 */
public record EventTime(
        @Doc("how to find the time")
        Format format,
        @Doc("a `DateTimeFormatter` pattern, required with format `pattern`, matched at the start of the line")
        String pattern,
        @Doc("zone of times written without an offset (and of syslog times); default UTC")
        String zone) {
    public static final EventTime DEFAULT = new EventTime(null, null, null);
    public static final String DEFAULT_ZONE = "UTC";

    /** How a line's time is found. The JSON names are the values of header {@code ds.time}. */
    public enum Format {
        /** The first of the formats below that parses near the start of the line. */
        @JsonProperty("auto") AUTO("auto"),
        /** ISO-8601 / RFC 3339, e.g. {@code 2026-12-03T05:12:51.123Z} or {@code 2026-12-03 05:12:51,123}. */
        @JsonProperty("iso8601") ISO8601("iso8601"),
        /** nginx/Apache common and combined log format, e.g. {@code [03/Dec/2026:05:12:51 +0000]}. */
        @JsonProperty("clf") CLF("clf"),
        /** RFC 3164 syslog, e.g. {@code Dec  3 05:12:51} (the year is the read time's). */
        @JsonProperty("syslog") SYSLOG("syslog"),
        /** Seconds since the epoch at the start of the line, optionally with a fraction. */
        @JsonProperty("epochSeconds") EPOCH_SECONDS("epochSeconds"),
        /** Milliseconds since the epoch at the start of the line. */
        @JsonProperty("epochMillis") EPOCH_MILLIS("epochMillis"),
        /** {@code pattern}, matched at the start of the line. */
        @JsonProperty("pattern") PATTERN("pattern"),
        /** No parsing: every line is bucketed by the time it was read. */
        @JsonProperty("none") NONE("none");

        private final String header;

        Format(String header) {
            this.header = header;
        }

        /** The value of header {@code ds.time}. */
        public String header() {
            return header;
        }

        /** The format whose header value is {@code value}, or null. */
        public static Format ofHeader(String value) {
            for (Format f : values()) {
                if (f.header.equals(value)) {
                    return f;
                }
            }
            return null;
        }
    }

    public EventTime {
        format = format == null ? Format.AUTO : format;
        zone = zone == null ? DEFAULT_ZONE : zone;
    }

    void validate(String field, List<FieldError> errors) {
        if (format == Format.PATTERN) {
            if (pattern == null || pattern.isEmpty()) {
                errors.add(new FieldError(field + ".pattern", "is required when format is pattern"));
            } else {
                try {
                    DateTimeFormatter.ofPattern(pattern);
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError(field + ".pattern", "'" + pattern + "' is not a java.time pattern: " + e.getMessage()));
                }
            }
        } else if (pattern != null) {
            errors.add(new FieldError(field + ".pattern", "is only used with format: pattern (format is " + format.header() + ")"));
        }
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            errors.add(new FieldError(field + ".zone", "'" + zone + "' is not a zone id (e.g. UTC, Europe/Berlin, +08:00)"));
        }
    }
}
