package io.datastream.router.kafka;

import java.util.List;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.utils.Utils;

/**
 * The default: murmur2 of the key (task id + file fingerprint) modulo the partition count, the
 * same partition Kafka's default partitioner picks for a keyed record. All batches of one file
 * land in one partition, in order.
 */
public final class BySourceStrategy implements PartitionStrategy {
    @Override
    public int partition(String topic, List<PartitionInfo> partitions, byte[] key) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions.size();
    }
}
