package io.datastream.sink.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * Bounds of the de-duplication state.
 *
 * @param ttl              how long a task's delivered ranges of a file are kept after its last batch of the file
 * @param maxRangesPerFile most disjoint ranges kept per file and task
 * @param eventIdTtl       how long a client event id is remembered after its event was first written
 */
public record DedupConfig(Duration ttl, int maxRangesPerFile, Duration eventIdTtl) implements Serializable {
    /** The default of {@code dedup.eventIdTtl}. */
    public static final Duration DEFAULT_EVENT_ID_TTL = Duration.ofHours(1);

    public DedupConfig {
        if (ttl == null || ttl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigException(SinkConfigKey.DEDUP_TTL.key(), "must be at least 1s, was " + ttl);
        }
        if (maxRangesPerFile < 16 || maxRangesPerFile > 10_000_000) {
            throw new ConfigException(SinkConfigKey.DEDUP_MAX_RANGES_PER_FILE.key(), "must be in 16..10000000, was " + maxRangesPerFile);
        }
        if (eventIdTtl == null || eventIdTtl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigException(SinkConfigKey.DEDUP_EVENT_ID_TTL.key(), "must be at least 1s, was " + eventIdTtl);
        }
    }

    /** With the default {@code dedup.eventIdTtl}. */
    public DedupConfig(Duration ttl, int maxRangesPerFile) {
        this(ttl, maxRangesPerFile, DEFAULT_EVENT_ID_TTL);
    }
}
