package io.datastream.router.kafka;

import java.util.List;
import org.apache.kafka.common.PartitionInfo;

/** Picks the partition of a batch's record(s). Called by the sender threads; thread-safe. */
public interface PartitionStrategy {
    /**
     * @param topic      the topic
     * @param partitions the topic's partitions as the producer knows them (not empty)
     * @param key        the record key: task id and file fingerprint
     * @return a partition number of the topic
     */
    int partition(String topic, List<PartitionInfo> partitions, byte[] key);

    /** Kafka acknowledged a record of {@code partition}, led by broker {@code leaderId} (-1 if unknown). */
    default void onAck(String topic, int partition, int leaderId, long latencyNanos) {
    }

    /** The partitions that have a leader, or all of them when none has. */
    static List<PartitionInfo> available(List<PartitionInfo> partitions) {
        List<PartitionInfo> out = null;
        for (int i = 0; i < partitions.size(); i++) {
            PartitionInfo p = partitions.get(i);
            if (p.leader() == null || p.leader().isEmpty()) {
                if (out == null) {
                    out = new java.util.ArrayList<>(partitions.subList(0, i));
                }
            } else if (out != null) {
                out.add(p);
            }
        }
        if (out == null) {
            return partitions;
        }
        return out.isEmpty() ? partitions : out;
    }
}
