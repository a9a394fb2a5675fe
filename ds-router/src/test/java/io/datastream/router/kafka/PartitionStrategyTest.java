package io.datastream.router.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.junit.jupiter.api.Test;

class PartitionStrategyTest {
    private static final Node B1 = new Node(1, "b1", 9092);
    private static final Node B2 = new Node(2, "b2", 9092);
    private static final Node B3 = new Node(3, "b3", 9092);

    /** Six partitions; partition p is led by broker p % 3 + 1; partition 5 has no leader. */
    private static List<PartitionInfo> partitions() {
        Node[] brokers = {B1, B2, B3};
        List<PartitionInfo> out = new ArrayList<>();
        for (int p = 0; p < 6; p++) {
            Node leader = p == 5 ? null : brokers[p % 3];
            out.add(new PartitionInfo("t", p, leader, new Node[0], new Node[0]));
        }
        return out;
    }

    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void bySourceMatchesKafkasDefaultPartitionerAndIsStable() {
        BySourceStrategy s = new BySourceStrategy(System::nanoTime);
        for (int i = 0; i < 100; i++) {
            byte[] k = key("task-" + i);
            int p = s.partition("t", partitions(), k);
            assertThat(p).isEqualTo(BuiltInPartitioner.partitionForKey(k, 6));
            assertThat(s.partition("t", partitions(), k)).isEqualTo(p);
        }
    }

    @Test
    void bySourceReportsPartitionsItLeavesIdle() {
        AtomicLong now = new AtomicLong();
        BySourceStrategy s = new BySourceStrategy(now::get);
        List<PartitionInfo> six = partitions();
        // six files whose keys hash to only some of the six partitions
        Set<Integer> used = new HashSet<>();
        List<byte[]> files = new ArrayList<>();
        for (int i = 0; files.size() < 6; i++) {
            byte[] k = key("file-" + i);
            int p = BuiltInPartitioner.partitionForKey(k, 6);
            if (p < 3) { // only partitions 0..2
                files.add(k);
                used.add(p);
            }
        }
        for (byte[] k : files) {
            s.partition("t", six, k);
        }
        assertThat(s.idlePartitions()).as("nothing is said before a window closes").isEmpty();
        now.addAndGet(SpreadWatch.WINDOW_NANOS);
        s.partition("t", six, files.get(0)); // the next batch closes the window
        assertThat(s.idlePartitions()).containsEntry("t", 6 - used.size());

        // a window with fewer files than partitions says nothing is wrong: too few files to tell
        now.addAndGet(SpreadWatch.WINDOW_NANOS);
        s.partition("t", six, files.get(0));
        assertThat(s.idlePartitions()).containsEntry("t", 0);

        // every partition used: none idle
        for (int i = 0; i < 200; i++) {
            s.partition("t", six, key("spread-" + i));
        }
        now.addAndGet(SpreadWatch.WINDOW_NANOS);
        s.partition("t", six, files.get(0));
        assertThat(s.idlePartitions()).containsEntry("t", 0);
    }

    @Test
    void roundRobinSpreadsOverPartitionsWithALeader() {
        RoundRobinStrategy s = new RoundRobinStrategy();
        List<Integer> picks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            picks.add(s.partition("t", partitions(), key("k")));
        }
        assertThat(picks).containsExactly(0, 1, 2, 3, 4, 0, 1, 2, 3, 4);
    }

    @Test
    void loadAwareAvoidsSlowLeadersUntilTheirSamplesGoStale() {
        AtomicLong now = new AtomicLong();
        LoadAwareStrategy s = new LoadAwareStrategy(2.0, TimeUnit.SECONDS.toNanos(10), now::get);
        Set<Integer> before = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            before.add(s.partition("t", partitions(), key("k")));
        }
        assertThat(before).containsExactlyInAnyOrder(0, 1, 2, 3, 4);

        s.onAck("t", 0, 1, TimeUnit.MILLISECONDS.toNanos(5));
        s.onAck("t", 1, 2, TimeUnit.MILLISECONDS.toNanos(6));
        s.onAck("t", 2, 3, TimeUnit.MILLISECONDS.toNanos(80));
        Set<Integer> fast = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            fast.add(s.partition("t", partitions(), key("k")));
        }
        // partitions 2 (and none else) are led by the slow broker 3
        assertThat(fast).containsExactlyInAnyOrder(0, 1, 3, 4);

        now.addAndGet(TimeUnit.SECONDS.toNanos(11)); // every sample is stale: everyone is tried again
        Set<Integer> later = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            later.add(s.partition("t", partitions(), key("k")));
        }
        assertThat(later).contains(2);
    }

    @Test
    void loadAwareLetsARecoveredBrokerBackIn() {
        AtomicLong now = new AtomicLong();
        LoadAwareStrategy s = new LoadAwareStrategy(2.0, TimeUnit.SECONDS.toNanos(10), now::get);
        s.onAck("t", 0, 1, 5_000_000);
        s.onAck("t", 1, 2, 5_000_000);
        s.onAck("t", 2, 3, 500_000_000);
        now.addAndGet(TimeUnit.SECONDS.toNanos(11));
        s.onAck("t", 2, 3, 5_000_000); // a fresh fast sample restarts broker 3's average
        s.onAck("t", 0, 1, 5_000_000);
        Set<Integer> picks = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            picks.add(s.partition("t", partitions(), key("k")));
        }
        assertThat(picks).contains(2);
    }
}
