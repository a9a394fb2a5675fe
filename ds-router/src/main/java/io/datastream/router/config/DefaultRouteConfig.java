package io.datastream.router.config;

/**
 * {@code defaultRoute.*}: where a batch goes when no rule matched and it has no ds.topic header.
 *
 * @param topic       a topic template (default "ds-{task}"); "" = no default route (such batches
 *                    are rejected with NO_ROUTE)
 * @param mode        envelope (default) or lines
 * @param partitioner source, round-robin or load-aware; default kafka.partitioner
 */
public record DefaultRouteConfig(String topic, String mode, String partitioner) {
    public DefaultRouteConfig {
        topic = topic == null ? "ds-{task}" : topic.trim();
        mode = mode == null ? RouteMode.ENVELOPE.configName() : mode;
    }

    public boolean enabled() {
        return !topic.isEmpty();
    }

    public void validate(ConfigErrors e) {
        e.check(RouteMode.fromConfig(mode) != null, "defaultRoute.mode", "must be envelope or lines, was '" + mode + "'");
        e.check(partitioner == null || PartitionerKind.fromConfig(partitioner) != null, "defaultRoute.partitioner",
                "must be source, round-robin or load-aware, was '" + partitioner + "'");
    }
}
