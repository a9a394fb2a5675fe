package io.datastream.protocol.frame;

/** Why a router asks an agent to leave, with fixed wire ids. */
public enum GoAwayReason {
    /** The router is shutting down: finish in-flight batches, send nothing new, reconnect elsewhere. */
    DRAIN(1),
    /** The router is overloaded: move to one of the suggested routers. */
    MIGRATE(2);

    private final int id;

    GoAwayReason(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** The reason for a wire id, or null when unknown (an agent treats unknown as DRAIN). */
    public static GoAwayReason fromId(int id) {
        return switch (id) {
            case 1 -> DRAIN;
            case 2 -> MIGRATE;
            default -> null;
        };
    }
}
