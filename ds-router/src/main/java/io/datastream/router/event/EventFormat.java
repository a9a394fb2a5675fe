package io.datastream.router.event;

/** The serialized forms of an event, with fixed ids that never change (a file-queue channel persists them). */
public enum EventFormat {
    /** One JSON object, {@code {"headers":{...},"body":"..."}}, without raw newlines. */
    JSON(1, "json", new JsonEventSerializer()),
    /** Length-prefixed headers and body: compact, no escaping. */
    BINARY(2, "binary", new BinaryEventSerializer());

    private final int id;
    private final String configName;
    private final EventSerializer serializer;

    EventFormat(int id, String configName, EventSerializer serializer) {
        this.id = id;
        this.configName = configName;
        this.serializer = serializer;
    }

    public int id() {
        return id;
    }

    public String configName() {
        return configName;
    }

    /** The serializer of this format (stateless, thread-safe). */
    public EventSerializer serializer() {
        return serializer;
    }

    /** The format named {@code name} in the configuration, or null. */
    public static EventFormat fromConfig(String name) {
        for (EventFormat f : values()) {
            if (f.configName.equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** The format with wire id {@code id}, or null. */
    public static EventFormat fromId(int id) {
        for (EventFormat f : values()) {
            if (f.id == id) {
                return f;
            }
        }
        return null;
    }
}
