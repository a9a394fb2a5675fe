package io.datastream.router.kafka;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.PartitionInfo;

/** Every available partition in turn: even spread, no per-file order. */
public final class RoundRobinStrategy implements PartitionStrategy {
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public int partition(String topic, List<PartitionInfo> partitions, byte[] key) {
        List<PartitionInfo> available = PartitionStrategy.available(partitions);
        return available.get(Math.floorMod(next.getAndIncrement(), available.size())).partition();
    }
}
