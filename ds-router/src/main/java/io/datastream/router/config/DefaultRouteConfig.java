package io.datastream.router.config;

import io.datastream.config.Doc;

/**
 * {@code defaultRoute.*}: where a batch goes when no rule matched and it has no ds.topic header.
 */
public record DefaultRouteConfig(
        @Doc("template for batches no rule took and without `ds.topic`; `\"\"` = none (NO_ROUTE)")
        String topic,
        @Doc("its mode (also used by the `ds.topic` header route)")
        String mode,
        @Doc(value = "its strategy (also used by the `ds.topic` header route)", defaultText = "`kafka.partitioner`")
        String partitioner) {
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
