package io.datastream.router.config;

import io.datastream.config.Doc;

/**
 * One entry of {@code routes}: a batch matching {@code task} (when set) and {@code when} (when
 * set) goes to {@code topic}, or into the channel {@code channel} (one of the two). An entry with
 * neither condition matches every batch.
 */
public record RouteConfig(
        @Doc("a rule expression, e.g. `header.logType == \"jvm\" && host =~ \"^web\"`")
        String when,
        @Doc("a task id the batch must have")
        String task,
        @Doc("a topic template: text with {task}, {agent}, {host} or {header.NAME}; or leave it out and give `channel`")
        String topic,
        @Doc("envelope (default) or lines")
        String mode,
        @Doc(value = "`source`, `round-robin` or `load-aware`", defaultText = "`kafka.partitioner`")
        String partitioner,
        @Doc("instead of `topic`: put the batch into this `httpSource.channels` channel of `format: batches`; its sinks write it "
                + "([Agent batches into a channel](#agent-batches-into-a-channel))")
        String channel) {
    public RouteConfig {
        mode = mode == null ? RouteMode.ENVELOPE.configName() : mode;
    }

    /** Whether the route puts batches into a channel instead of writing them to a topic. */
    public boolean toChannel() {
        return channel != null;
    }

    public void validate(ConfigErrors e, String key) {
        if (channel != null) {
            e.check(topic == null, key + ".topic", "give topic or channel, not both");
            e.check(partitioner == null, key + ".partitioner", "only with topic (a channel's Kafka sinks have their own)");
            e.check(RouteMode.fromConfig(mode) == RouteMode.ENVELOPE, key + ".mode", "only envelope with channel (the batch is stored as sent)");
            e.check(!channel.isBlank(), key + ".channel", "must name a channel");
            return;
        }
        e.notBlank(topic, key + ".topic");
        e.check(RouteMode.fromConfig(mode) != null, key + ".mode", "must be envelope or lines, was '" + mode + "'");
        e.check(partitioner == null || PartitionerKind.fromConfig(partitioner) != null, key + ".partitioner",
                "must be source, round-robin or load-aware, was '" + partitioner + "'");
        e.check(when == null || !when.isBlank(), key + ".when", "must not be empty (leave it out to match every batch)");
    }
}
