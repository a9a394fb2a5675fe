package io.datastream.router.config;

/**
 * {@code migration.*}: traffic migration away from an overloaded router (needs ZooKeeper, to
 * know the other routers' load).
 *
 * @param enabled         on by default
 * @param threshold       pool use (0..1) above which the router is overloaded
 * @param minLoadGap      migrate only to routers whose load is lower by at least this much
 * @param share           fraction of this router's agents sent away per check
 * @param checkIntervalMs how often the load is checked; two migrations are at least two intervals apart
 * @param closeAfterMs    a connection told to go away is closed this long afterwards (once its
 *                        in-flight batches are acknowledged) if the agent has not closed it
 * @param maxSuggested    routers suggested in GOAWAY, least loaded first
 */
public record MigrationConfig(Boolean enabled, Double threshold, Double minLoadGap, Double share, Long checkIntervalMs,
                              Long closeAfterMs, Integer maxSuggested) {
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
