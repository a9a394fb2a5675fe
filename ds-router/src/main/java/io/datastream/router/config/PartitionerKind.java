package io.datastream.router.config;

import java.util.Locale;

/** The partitioning strategies a route can use. */
public enum PartitionerKind {
    /** Hash of task id + file fingerprint: a file's batches stay in order in one partition (default). */
    SOURCE("source"),
    /** Every available partition in turn. */
    ROUND_ROBIN("round-robin"),
    /** Round robin over partitions whose leaders acknowledge fast. */
    LOAD_AWARE("load-aware");

    private final String configName;

    PartitionerKind(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** The strategy for a config value, or null when unknown. */
    public static PartitionerKind fromConfig(String name) {
        if (name == null) {
            return null;
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (PartitionerKind k : values()) {
            if (k.configName.equals(n)) {
                return k;
            }
        }
        return null;
    }
}
