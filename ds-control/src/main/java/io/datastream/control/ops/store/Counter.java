package io.datastream.control.ops.store;

/**
 * One count of a minute report: its JSON name, its column, and how it adds up. Counters add up
 * over sources and over time; gauges (backlog, lag) are the value at the end of the minute: backlog
 * adds up over sources and takes the largest over time, lag (and the largest latency) takes the
 * largest over both.
 */
public enum Counter {
    LINES_READ("linesRead", "lines_read", Kind.COUNTER, "lines read by agents (after their counted drops)"),
    BYTES_READ("bytesRead", "bytes_read", Kind.COUNTER, "bytes read by agents"),
    LINES_ACKED("linesAcked", "lines_acked", Kind.COUNTER, "lines acknowledged to agents by routers"),
    BYTES_ACKED("bytesAcked", "bytes_acked", Kind.COUNTER, "bytes acknowledged to agents"),
    LINES_DROPPED("linesDropped", "lines_dropped", Kind.COUNTER, "lines agents dropped and counted (droppedByReason)"),
    BYTES_DROPPED("bytesDropped", "bytes_dropped", Kind.COUNTER, "bytes agents dropped and counted"),
    LINES_TO_KAFKA("linesToKafka", "lines_to_kafka", Kind.COUNTER, "lines routers wrote to Kafka (acknowledged by Kafka)"),
    BYTES_TO_KAFKA("bytesToKafka", "bytes_to_kafka", Kind.COUNTER, "bytes routers wrote to Kafka"),
    LINES_REFUSED("linesRefused", "lines_refused", Kind.COUNTER, "lines routers refused (refusedByReason)"),
    LINES_COMMITTED("linesCommitted", "lines_committed", Kind.COUNTER, "lines the sink committed to files"),
    DUPLICATES_DROPPED("duplicatesDropped", "duplicates_dropped", Kind.COUNTER, "re-sent lines the sink recognised and dropped"),
    DEAD_LETTERS("deadLetters", "dead_letters", Kind.COUNTER, "records the sink could not decode"),
    TIME_FALLBACKS("timeFallbacks", "time_fallbacks", Kind.COUNTER, "lines bucketed by arrival time for lack of an event time"),
    ERRORS("errors", "errors", Kind.COUNTER, "errors (unreadable files, rejected batches, failed commits)"),
    BACKLOG_BYTES("backlogBytes", "backlog_bytes", Kind.BACKLOG, "bytes not yet acknowledged at the end of the minute"),
    LAG_MS("lagMs", "lag_ms", Kind.LAG, "age of the oldest unacknowledged data at the end of the minute"),
    // schema version 2
    BATCHES_IN("batchesIn", "batches_in", Kind.COUNTER, "batches routers received and parsed"),
    LINES_IN("linesIn", "lines_in", Kind.COUNTER, "lines in the batches routers received and parsed"),
    BYTES_IN("bytesIn", "bytes_in", Kind.COUNTER, "source bytes of the batches routers received and parsed"),
    // schema version 3
    LATENCY_MAX_MS("latencyMaxMs", "latency_max_ms", Kind.LAG,
            "the largest read-to-commit latency of the lines committed by the sink (ms, across the agent's and the sink's clocks)"),
    EVENTS_ACCEPTED("eventsAccepted", "events_accepted", Kind.COUNTER,
            "events routers' HTTP sources accepted (answered 200), under their channel's task, in the minute accepted"),
    EVENTS_REFUSED("eventsRefused", "events_refused", Kind.COUNTER,
            "events of requests routers' HTTP sources refused after routing them (eventsRefusedByReason)");

    /** How a count adds up. */
    public enum Kind { COUNTER, BACKLOG, LAG }

    private final String json;
    private final String column;
    private final Kind kind;
    private final String meaning;

    Counter(String json, String column, Kind kind, String meaning) {
        this.json = json;
        this.column = column;
        this.kind = kind;
        this.meaning = meaning;
    }

    public String json() {
        return json;
    }

    public String column() {
        return column;
    }

    public Kind kind() {
        return kind;
    }

    public String meaning() {
        return meaning;
    }

    /** SQL aggregate over sources (one minute). */
    String overSources() {
        return (kind == Kind.LAG ? "MAX(" : "SUM(") + column + ")";
    }

    /** Combines two values of the same series at different times (minutes into an hour). */
    long overTime(long a, long b) {
        return kind == Kind.COUNTER ? a + b : Math.max(a, b);
    }

    /** The counter of a JSON name, or null. */
    public static Counter ofJson(String name) {
        for (Counter c : values()) {
            if (c.json.equals(name)) {
                return c;
            }
        }
        return null;
    }
}
