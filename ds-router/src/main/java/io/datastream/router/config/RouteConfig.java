package io.datastream.router.config;

/**
 * One entry of {@code routes}: a batch matching {@code task} (when set) and {@code when} (when
 * set) goes to {@code topic}. An entry with neither matches every batch.
 *
 * @param when        a rule expression, e.g. {@code header.logType == "jvm" && host =~ "^web"}
 * @param task        a task id the batch must have
 * @param topic       a topic template: text with {task}, {agent}, {host} or {header.NAME}
 * @param mode        envelope (default) or lines
 * @param partitioner source, round-robin or load-aware; default kafka.partitioner
 */
public record RouteConfig(String when, String task, String topic, String mode, String partitioner) {
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
