package io.datastream.router.config;

import java.util.Locale;

/** How a route writes a batch to Kafka. */
public enum RouteMode {
    /** One record per batch: the batch bytes exactly as the agent compressed them (default). */
    ENVELOPE("envelope"),
    /** One record per line, with the line's identity in record headers, for third-party consumers. */
    LINES("lines");

    private final String configName;

    RouteMode(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** The mode for a config value, or null when unknown. */
    public static RouteMode fromConfig(String name) {
        if (name == null) {
            return null;
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (RouteMode m : values()) {
            if (m.configName.equals(n)) {
                return m;
            }
        }
        return null;
    }
}
