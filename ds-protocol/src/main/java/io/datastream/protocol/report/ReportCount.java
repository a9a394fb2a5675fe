package io.datastream.protocol.report;

/**
 * The counts of a minute report, by their JSON names in control's {@code POST /api/v1/reports}
 * (docs/control.md, Reports). Counters add up; the two gauges ({@link #BACKLOG_BYTES},
 * {@link #LAG_MS}) are set to their value at the end of the minute.
 */
public enum ReportCount {
    LINES_READ("linesRead"),
    BYTES_READ("bytesRead"),
    LINES_ACKED("linesAcked"),
    BYTES_ACKED("bytesAcked"),
    LINES_DROPPED("linesDropped"),
    BYTES_DROPPED("bytesDropped"),
    LINES_TO_KAFKA("linesToKafka"),
    BYTES_TO_KAFKA("bytesToKafka"),
    LINES_REFUSED("linesRefused"),
    LINES_COMMITTED("linesCommitted"),
    DUPLICATES_DROPPED("duplicatesDropped"),
    DEAD_LETTERS("deadLetters"),
    TIME_FALLBACKS("timeFallbacks"),
    ERRORS("errors"),
    BACKLOG_BYTES("backlogBytes"),
    LAG_MS("lagMs"),
    BATCHES_IN("batchesIn"),
    LINES_IN("linesIn"),
    BYTES_IN("bytesIn"),
    /** Events a router's HTTP source accepted (answered 200), by the channel's task and the minute it accepted them. */
    EVENTS_ACCEPTED("eventsAccepted"),
    /** Events of requests the HTTP source refused after routing them to channels (eventsRefusedByReason). */
    EVENTS_REFUSED("eventsRefused");

    static final int COUNT = values().length;

    private final String json;

    ReportCount(String json) {
        this.json = json;
    }

    /** The name in the report's {@code counts} object. */
    public String json() {
        return json;
    }

    /** Whether the value is set (the state at the end of the minute) rather than added to. */
    public boolean gauge() {
        return this == BACKLOG_BYTES || this == LAG_MS;
    }
}
