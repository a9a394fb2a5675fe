package io.datastream.router.kafka;

import io.datastream.router.config.KafkaConfig;
import io.datastream.router.config.PartitionerKind;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** One instance of each strategy per router (load-aware keeps the latencies it measured). */
public final class PartitionStrategies {
    private final Map<PartitionerKind, PartitionStrategy> strategies = new EnumMap<>(PartitionerKind.class);
    private final BySourceStrategy bySource;

    public PartitionStrategies(KafkaConfig.LoadAwareConfig loadAware, LongSupplier nanoClock) {
        bySource = new BySourceStrategy(nanoClock);
        strategies.put(PartitionerKind.SOURCE, bySource);
        strategies.put(PartitionerKind.ROUND_ROBIN, new RoundRobinStrategy());
        strategies.put(PartitionerKind.LOAD_AWARE, new LoadAwareStrategy(loadAware.slowFactor(),
                TimeUnit.MILLISECONDS.toNanos(loadAware.staleAfterMs()), nanoClock));
    }

    public PartitionStrategy get(PartitionerKind kind) {
        return strategies.get(kind);
    }

    /** Registers {@code ds_router_partitions_idle{topic}}: partitions the source partitioner left without a batch in the last minute. */
    public void registerMetrics(PrometheusRegistry registry) {
        GaugeWithCallback.builder().name("ds_router_partitions_idle")
                .help("partitions of the topic that got no batch in the last minute although at least as many files as partitions were sent (source partitioner)")
                .labelNames("topic")
                .callback(cb -> bySource.idlePartitions().forEach((topic, n) -> cb.call(n, topic)))
                .register(registry);
    }
}
