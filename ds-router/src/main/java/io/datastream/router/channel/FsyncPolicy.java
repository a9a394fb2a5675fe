package io.datastream.router.channel;

/**
 * When a file-queue channel forces what it wrote to disk, and so when a put is safe (answered).
 */
public enum FsyncPolicy {
    /** Never forced by the channel: safe once in the mapping (the page cache). Survives kill -9, not a power loss. */
    NEVER("never"),
    /** Forced every {@code fsyncIntervalMs}: safe after the next force. Survives kill -9 and power loss. */
    INTERVAL("interval"),
    /** Forced as soon as possible after each put (puts waiting together share one force): survives both. */
    ALWAYS("always");

    private final String configName;

    FsyncPolicy(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** The policy named {@code name} in a configuration, or null. */
    public static FsyncPolicy fromConfig(String name) {
        for (FsyncPolicy p : values()) {
            if (p.configName.equals(name)) {
                return p;
            }
        }
        return null;
    }
}
