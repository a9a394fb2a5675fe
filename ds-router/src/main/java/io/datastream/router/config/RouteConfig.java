package io.datastream.router.config;

import io.datastream.config.Doc;

/**
 * One entry of {@code routes}: a batch matching {@code task} (when set) and {@code when} (when
 * set) goes to {@code topic}. An entry with neither matches every batch.
 */
public record RouteConfig(
        @Doc("a rule expression, e.g. `header.logType == \"jvm\" && host =~ \"^web\"`")
        String when,
        @Doc("a task id the batch must have")
        String task,
        @Doc("a topic template: text with {task}, {agent}, {host} or {header.NAME}")
        String topic,
        @Doc("envelope (default) or lines")
        String mode,
        @Doc(value = "`source`, `round-robin` or `load-aware`", defaultText = "`kafka.partitioner`")
        String partitioner) {
    public RouteConfig {
        mode = mode == null ? RouteMode.ENVELOPE.configName() : mode;
    }

    public void validate(ConfigErrors e, String key) {
        e.notBlank(topic, key + ".topic");
        e.check(RouteMode.fromConfig(mode) != null, key + ".mode", "must be envelope or lines, was '" + mode + "'");
        e.check(partitioner == null || PartitionerKind.fromConfig(partitioner) != null, key + ".partitioner",
                "must be source, round-robin or load-aware, was '" + partitioner + "'");
        e.check(when == null || !when.isBlank(), key + ".when", "must not be empty (leave it out to match every batch)");
    }
}
