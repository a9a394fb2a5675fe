package io.datastream.router.kafka;

import io.datastream.router.config.KafkaConfig;
import io.datastream.router.config.PartitionerKind;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** One instance of each strategy per router (load-aware keeps the latencies it measured). */
public final class PartitionStrategies {
    private final Map<PartitionerKind, PartitionStrategy> strategies = new EnumMap<>(PartitionerKind.class);

    public PartitionStrategies(KafkaConfig.LoadAwareConfig loadAware, LongSupplier nanoClock) {
        strategies.put(PartitionerKind.SOURCE, new BySourceStrategy());
        strategies.put(PartitionerKind.ROUND_ROBIN, new RoundRobinStrategy());
        strategies.put(PartitionerKind.LOAD_AWARE, new LoadAwareStrategy(loadAware.slowFactor(),
                TimeUnit.MILLISECONDS.toNanos(loadAware.staleAfterMs()), nanoClock));
    }

    public PartitionStrategy get(PartitionerKind kind) {
        return strategies.get(kind);
    }
}
