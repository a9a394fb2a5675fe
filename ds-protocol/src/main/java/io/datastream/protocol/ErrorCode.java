package io.datastream.protocol;

/**
 * Error codes carried by ACK and ERROR frames. Wire ids are fixed forever: add new codes at
 * the end, never renumber. A receiver maps an id it does not know to {@link #UNKNOWN}.
 */
public enum ErrorCode {
    NONE(0, false, "no error"),
    UNKNOWN(1, true, "an error code this peer does not know"),
    MALFORMED_FRAME(2, false, "a frame could not be parsed"),
    FRAME_TOO_LARGE(3, false, "a frame's declared length is over the limit"),
    UNKNOWN_FRAME_TYPE(4, false, "a frame type this peer does not know"),
    UNSUPPORTED_VERSION(5, false, "no protocol version in common"),
    AUTH_FAILED(6, false, "the auth token was refused"),
    PROTOCOL_VIOLATION(7, false, "a frame arrived out of order or in the wrong direction"),
    CRC_MISMATCH(8, true, "the batch's CRC32C does not match its bytes; re-send it"),
    CORRUPT_BATCH(9, false, "the batch's structure is invalid"),
    UNSUPPORTED_CODEC(10, false, "codec or dictionary not supported"),
    BATCH_TOO_LARGE(11, false, "the batch's declared uncompressed size is over the limit"),
    NO_CREDIT(12, false, "a batch was sent beyond the granted credit"),
    NO_ROUTE(13, false, "no routing rule matches the batch and there is no default route"),
    DOWNSTREAM_UNAVAILABLE(14, true, "Kafka did not acknowledge in time; re-send later"),
    OVERLOADED(15, true, "the router is overloaded; re-send later or elsewhere"),
    SHUTTING_DOWN(16, true, "the router is shutting down; re-send elsewhere"),
    TOO_MANY_CONNECTIONS(17, true, "the router's connection limit is reached"),
    IDLE_TIMEOUT(18, true, "nothing was received for too long"),
    RECORD_TOO_LARGE(19, false, "Kafka refused the record as too large"),
    TOPIC_NOT_ALLOWED(20, false, "Kafka refused the topic (unknown or not authorised)"),
    INTERNAL(21, true, "an unexpected error in the peer"),
    NOT_AUTHORIZED(22, false, "the agent's credential does not allow this agent id, host, task or topic");

    private static final ErrorCode[] BY_ID;

    static {
        int max = 0;
        for (ErrorCode c : values()) {
            max = Math.max(max, c.id);
        }
        BY_ID = new ErrorCode[max + 1];
        for (ErrorCode c : values()) {
            if (BY_ID[c.id] != null) {
                throw new ExceptionInInitializerError("duplicate error code id " + c.id);
            }
            BY_ID[c.id] = c;
        }
    }

    private final int id;
    private final boolean retriable;
    private final String description;

    ErrorCode(int id, boolean retriable, String description) {
        this.id = id;
        this.retriable = retriable;
        this.description = description;
    }

    /** The fixed wire id (u16). */
    public int id() {
        return id;
    }

    /** Whether re-sending the same bytes later (or to another router) may succeed. */
    public boolean retriable() {
        return retriable;
    }

    public String description() {
        return description;
    }

    /** The code for a wire id; ids this version does not know map to {@link #UNKNOWN}. */
    public static ErrorCode fromId(int id) {
        if (id >= 0 && id < BY_ID.length && BY_ID[id] != null) {
            return BY_ID[id];
        }
        return UNKNOWN;
    }
}
