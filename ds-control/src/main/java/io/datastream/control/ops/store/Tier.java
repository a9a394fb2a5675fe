package io.datastream.control.ops.store;

import java.util.Locale;

/** The tier a report comes from; the id is stored and never changes. */
public enum Tier {
    AGENT(1), ROUTER(2), SINK(3);

    private final int id;

    Tier(int id) {
        this.id = id;
    }

    /** The stored id. */
    public int id() {
        return id;
    }

    /** The name in JSON: agent, router, sink. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Tier ofId(int id) {
        for (Tier t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        throw new IllegalArgumentException("no tier with id " + id);
    }

    /** The tier of a wire name, or null. */
    public static Tier ofWireName(String name) {
        for (Tier t : values()) {
            if (t.wireName().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
