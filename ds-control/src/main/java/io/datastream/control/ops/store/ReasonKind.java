package io.datastream.control.ops.store;

/** Which name -> lines map a count belongs to; the id is stored and never changes. */
public enum ReasonKind {
    /** Lines an agent dropped and counted, by reason. */
    DROPPED(1, "droppedByReason"),
    /** Lines a router refused, by error code. */
    REFUSED(2, "refusedByReason"),
    /** Events a router's HTTP source refused, by reason (schema version 3). */
    EVENTS_REFUSED(3, "eventsRefusedByReason"),
    /** Events a router's channel sinks finished, by sink name (schema version 3). */
    EVENTS_WRITTEN(4, "eventsWrittenBySink");

    private final int id;
    private final String json;

    ReasonKind(int id, String json) {
        this.id = id;
        this.json = json;
    }

    public int id() {
        return id;
    }

    /** The map's name in reports and series. */
    public String json() {
        return json;
    }

    public static ReasonKind ofId(int id) {
        for (ReasonKind k : values()) {
            if (k.id == id) {
                return k;
            }
        }
        throw new IllegalArgumentException("no reason kind with id " + id);
    }

    /** The kind of a JSON name, or null. */
    public static ReasonKind ofJson(String name) {
        for (ReasonKind k : values()) {
            if (k.json.equals(name)) {
                return k;
            }
        }
        return null;
    }
}
