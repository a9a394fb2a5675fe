package io.datastream.sink.config;

import java.util.Locale;

/** How finished output files are compressed; each file is one standard stream of its format. */
public enum Compression {
    /** Zstandard frames ({@code zstd -dc} reads them), levels 1..19, default 1 (on logs as small as level 3, and faster: docs/benchmarks.md). */
    ZSTD(".zst", 1, 19, 1),
    /** gzip members ({@code zcat} reads them), levels 1..9, default 6. */
    GZIP(".gz", 1, 9, 6);

    private final String extension;
    private final int minLevel;
    private final int maxLevel;
    private final int defaultLevel;

    Compression(String extension, int minLevel, int maxLevel, int defaultLevel) {
        this.extension = extension;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
        this.defaultLevel = defaultLevel;
    }

    /** File name extension of finished files, with the dot. */
    public String extension() {
        return extension;
    }

    public int minLevel() {
        return minLevel;
    }

    public int maxLevel() {
        return maxLevel;
    }

    public int defaultLevel() {
        return defaultLevel;
    }

    /** The name used in YAML. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
