package io.datastream.protocol.frame;

/** Outcome of one batch, with fixed wire ids. */
public enum AckStatus {
    /** Kafka has the batch; the agent may advance its checkpoint past it. */
    OK(0),
    /** Not stored; send the same batch again later (possibly to another router). */
    RETRY_LATER(1),
    /** Not stored and never will be as is (no route, corrupt); the agent parks and reports it. */
    REJECTED(2);

    private final int id;

    AckStatus(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** The status for a wire id, or null when unknown. */
    public static AckStatus fromId(int id) {
        return switch (id) {
            case 0 -> OK;
            case 1 -> RETRY_LATER;
            case 2 -> REJECTED;
            default -> null;
        };
    }
}
