package io.datastream.router.kafka;

import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.utils.Utils;

/**
 * The default: murmur2 of the key (task id + file fingerprint) modulo the partition count, the
 * same partition Kafka's default partitioner picks for a keyed record. All batches of one file
 * land in one partition, in order. Partitions this leaves idle are reported ({@link SpreadWatch}).
 */
public final class BySourceStrategy implements PartitionStrategy {
    private final SpreadWatch spread;

    public BySourceStrategy(LongSupplier nanoClock) {
        this.spread = new SpreadWatch(nanoClock);
    }

    @Override
    public int partition(String topic, List<PartitionInfo> partitions, byte[] key) {
        int hash = Utils.murmur2(key);
        int p = Utils.toPositive(hash) % partitions.size();
        spread.record(topic, partitions.size(), p, hash);
        return p;
    }

    /** Per topic, the partitions the last minute's files left without a batch ({@link SpreadWatch}). */
    public Map<String, Integer> idlePartitions() {
        return spread.idlePartitions();
    }
}
