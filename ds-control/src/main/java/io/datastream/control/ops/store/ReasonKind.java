package io.datastream.control.ops.store;

/** Which reason map a reason count belongs to; the id is stored and never changes. */
public enum ReasonKind {
    /** Lines an agent dropped and counted. */
    DROPPED(1),
    /** Lines a router refused. */
    REFUSED(2);

    private final int id;

    ReasonKind(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public static ReasonKind ofId(int id) {
        return id == 1 ? DROPPED : REFUSED;
    }
}
