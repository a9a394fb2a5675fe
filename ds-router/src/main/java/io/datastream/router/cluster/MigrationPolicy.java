package io.datastream.router.cluster;

import io.datastream.registry.member.RouterInfo;
import io.datastream.router.config.MigrationConfig;
import java.util.Comparator;
import java.util.List;

/**
 * When to move agents away, and where: a router whose pool use is above the threshold moves a
 * share of its agents when some other (non-draining) router's load is lower by at least the
 * minimum gap; it suggests the least loaded routers.
 */
public final class MigrationPolicy {
    /** How many agents to move and where to point them; none when {@code count} is 0. */
    public record Decision(int count, List<String> suggested) {
        static final Decision NONE = new Decision(0, List.of());
    }

    private final MigrationConfig cfg;

    public MigrationPolicy(MigrationConfig cfg) {
        this.cfg = cfg;
    }

    /**
     * @param ownLoad     this router's pool use in [0, 1]
     * @param others      the other routers
     * @param connections this router's agents that could be moved
     */
    public Decision decide(double ownLoad, List<RouterInfo> others, int connections) {
        if (!cfg.enabled() || ownLoad <= cfg.threshold() || connections == 0) {
            return Decision.NONE;
        }
        List<String> targets = others.stream()
                .filter(r -> !r.draining() && r.load() <= ownLoad - cfg.minLoadGap())
                .sorted(Comparator.comparingDouble(RouterInfo::load))
                .limit(cfg.maxSuggested())
                .map(RouterInfo::address)
                .toList();
        if (targets.isEmpty()) {
            return Decision.NONE;
        }
        int count = (int) Math.max(1, Math.ceil(connections * cfg.share()));
        return new Decision(Math.min(count, connections), targets);
    }
}
