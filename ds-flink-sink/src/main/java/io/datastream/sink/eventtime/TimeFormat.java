package io.datastream.sink.eventtime;

/**
 * How a task's lines carry their event time: the values of batch header {@code ds.time}. The
 * same names as the task definition's {@code eventTime.format} (ds-registry), read here from the
 * header strings only.
 */
public enum TimeFormat {
    /** The first of ISO-8601, common log format, syslog, epoch seconds/millis that the line holds. */
    AUTO("auto"),
    /** ISO-8601 / RFC 3339, the first one within the line's first 128 bytes. */
    ISO8601("iso8601"),
    /** nginx/Apache common and combined log format: {@code [03/Dec/2026:05:12:51 +0000]} within the first 128 bytes. */
    CLF("clf"),
    /** RFC 3164 syslog at the start of the line: {@code Dec  3 05:12:51} (year from the read time). */
    SYSLOG("syslog"),
    /** Seconds since the epoch at the start of the line, optionally with a fraction. */
    EPOCH_SECONDS("epochSeconds"),
    /** Milliseconds since the epoch at the start of the line. */
    EPOCH_MILLIS("epochMillis"),
    /** The java.time pattern of header {@code ds.time.pattern}, at the start of the line. */
    PATTERN("pattern"),
    /** No parsing: lines are bucketed by the time they were read. */
    NONE("none");

    private final String header;

    TimeFormat(String header) {
        this.header = header;
    }

    /** The value of header {@code ds.time}. */
    public String header() {
        return header;
    }

    /** The format named {@code value}, {@link #NONE} for null, or null for an unknown name. */
    public static TimeFormat ofHeader(String value) {
        if (value == null) {
            return NONE;
        }
        for (TimeFormat f : values()) {
            if (f.header.equals(value)) {
                return f;
            }
        }
        return null;
    }
}
