package io.datastream.router.server;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Agents' batches routed into channels ({@code routes[].channel}), by channel and outcome:
 * {@code ds_router_channel_route_batches_total{channel,outcome}} and the lines of the stored ones,
 * {@code ds_router_channel_route_lines_total{channel}}. The counts per task are in the minute
 * reports (received, refused by error code, delivered). Channel names come from the
 * configuration, so the label set is bounded.
 */
public final class ChannelRouteMetrics {
    /** What became of a batch routed into a channel. */
    public enum Outcome {
        /** Safe in the channel by its guarantee; ACK OK. */
        STORED("stored"),
        /** The channel had no room: ACK RETRY_LATER OVERLOADED (back-pressure). */
        FULL("full"),
        /** The router is stopping: ACK RETRY_LATER SHUTTING_DOWN. */
        CLOSED("closed"),
        /** A file-queue channel could not create a segment file (disk full): ACK RETRY_LATER OVERLOADED. */
        NOT_STORED("not_stored"),
        /** Larger than the whole channel: ACK REJECTED BATCH_TOO_LARGE. */
        TOO_LARGE("too_large");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }
    }

    private final Counter batches;
    private final Counter lines;
    private final Map<String, Map<Outcome, CounterDataPoint>> byChannel = new ConcurrentHashMap<>();

    public ChannelRouteMetrics(PrometheusRegistry registry) {
        batches = Counter.builder().name("ds_router_channel_route_batches_total")
                .help("agent batches routed into a channel (routes[].channel), by channel and outcome").labelNames("channel", "outcome")
                .register(registry);
        lines = Counter.builder().name("ds_router_channel_route_lines_total")
                .help("lines of the agent batches stored in a channel (routes[].channel), by channel").labelNames("channel").register(registry);
    }

    void count(String channel, Outcome outcome, int batchLines) {
        byChannel.computeIfAbsent(channel, c -> {
            Map<Outcome, CounterDataPoint> m = new EnumMap<>(Outcome.class);
            for (Outcome o : Outcome.values()) {
                m.put(o, batches.labelValues(c, o.label));
            }
            return m;
        }).get(outcome).inc();
        if (outcome == Outcome.STORED) {
            lines.labelValues(channel).inc(batchLines);
        }
    }
}
