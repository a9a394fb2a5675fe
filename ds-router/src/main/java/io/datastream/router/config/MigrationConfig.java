package io.datastream.router.config;

import io.datastream.config.Doc;

/**
 * {@code migration.*}: traffic migration away from an overloaded router (needs ZooKeeper, to
 * know the other routers' load).
 */
public record MigrationConfig(
        @Doc("traffic migration (needs ZooKeeper)")
        Boolean enabled,
        @Doc("pool use above which the router is overloaded")
        Double threshold,
        @Doc("migrate only to routers at least this much less loaded")
        Double minLoadGap,
        @Doc("fraction of the agents sent away per migration (at least one)")
        Double share,
        @Doc("load check period; migrations are at least two periods apart")
        Long checkIntervalMs,
        @Doc("a migrating connection is closed this long after GOAWAY, once idle")
        Long closeAfterMs,
        @Doc("routers suggested in GOAWAY, least loaded first")
        Integer maxSuggested) {
    public MigrationConfig {
        enabled = enabled == null || enabled;
        threshold = threshold == null ? 0.8 : threshold;
        minLoadGap = minLoadGap == null ? 0.2 : minLoadGap;
        share = share == null ? 0.25 : share;
        checkIntervalMs = checkIntervalMs == null ? 5_000L : checkIntervalMs;
        closeAfterMs = closeAfterMs == null ? 10_000L : closeAfterMs;
        maxSuggested = maxSuggested == null ? 3 : maxSuggested;
    }

    public void validate(ConfigErrors e) {
        e.between(threshold, 0.05, 1.0, "migration.threshold");
        e.between(minLoadGap, 0.0, 1.0, "migration.minLoadGap");
        e.between(share, 0.01, 1.0, "migration.share");
        e.between(checkIntervalMs, 100, 3_600_000, "migration.checkIntervalMs");
        e.between(closeAfterMs, 0, 3_600_000, "migration.closeAfterMs");
        e.between(maxSuggested, 1, 64, "migration.maxSuggested");
    }
}
