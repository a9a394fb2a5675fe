package io.datastream.sink.config;

import java.io.Serializable;
import java.time.Duration;

/** Bounds of the de-duplication state. */
public record DedupConfig(Duration ttl, int maxRangesPerFile) implements Serializable {
    public DedupConfig {
        if (ttl == null || ttl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigException(SinkConfigKey.DEDUP_TTL.key(), "must be at least 1s, was " + ttl);
        }
        if (maxRangesPerFile < 16 || maxRangesPerFile > 10_000_000) {
            throw new ConfigException(SinkConfigKey.DEDUP_MAX_RANGES_PER_FILE.key(), "must be in 16..10000000, was " + maxRangesPerFile);
        }
    }
}
