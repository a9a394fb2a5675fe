package io.datastream.protocol.batch;

/**
 * Static batch headers (docs/protocol.md section 5) whose names start with {@code ds.}: reserved
 * for the product, set by the agent from its task and read by the router and the sink. A task's
 * own headers may not use the prefix.
 */
public final class ReservedHeaders {
    /** The prefix no user header may start with. */
    public static final String PREFIX = "ds.";
    /** The Kafka topic the task asks for; the router's rules decide whether it is allowed. */
    public static final String TOPIC = "ds.topic";
    /**
     * How the sink finds each line's event time: {@code auto}, {@code iso8601}, {@code clf},
     * {@code syslog}, {@code epochSeconds}, {@code epochMillis}, {@code pattern} or {@code none}.
     * Absent = {@code none}: lines are bucketed by the time the agent read them.
     */
    public static final String TIME_FORMAT = "ds.time";
    /** The java.time pattern when {@link #TIME_FORMAT} is {@code pattern}. */
    public static final String TIME_PATTERN = "ds.time.pattern";
    /** The zone of times written without an offset; absent = UTC. */
    public static final String TIME_ZONE = "ds.time.zone";
    /**
     * Set by the router's Kafka sink on batches of HTTP events that carry a client event id,
     * value {@code v1}: every line is an event as JSON, and one whose headers hold
     * {@code ds.eventId} is identified by (task, its {@code ds.client} header, its
     * {@code ds.eventId}) rather than by its offset (docs/protocol.md section 17).
     */
    public static final String EVENT_IDS = "ds.eventIds";
    /** The value of {@link #EVENT_IDS} this version writes and reads. */
    public static final String EVENT_IDS_V1 = "v1";

    private ReservedHeaders() {
    }
}
