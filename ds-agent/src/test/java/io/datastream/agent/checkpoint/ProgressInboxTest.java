package io.datastream.agent.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ProgressInboxTest {
    private final ProgressInbox<AckedOffset> inbox = ProgressInbox.acked();

    @Test
    void pushesNotTakenYetBecomeOneKeepingTheLargestOffsetAndEveryCount() {
        assertThat(inbox.take()).isNull();
        inbox.offer(new Progress<>(List.of(new AckedOffset("t", 1, 1, 256, 100), new AckedOffset("t", 2, 2, 256, 5)),
                List.of(MinuteCounts.acked("t", 7, 1, 100))));
        inbox.offer(new Progress<>(List.of(new AckedOffset("t", 1, 1, 256, 300)), List.of(MinuteCounts.acked("t", 7, 2, 200),
                MinuteCounts.acked("t", 8, 1, 10))));
        inbox.offer(Progress.of(List.of(new AckedOffset("t", 1, 1, 256, 200)))); // out of order: never moves back
        Progress<AckedOffset> p = inbox.take();
        assertThat(p.items()).containsExactlyInAnyOrder(new AckedOffset("t", 1, 1, 256, 300), new AckedOffset("t", 2, 2, 256, 5));
        assertThat(p.counts()).containsExactlyInAnyOrder(MinuteCounts.acked("t", 7, 3, 300), MinuteCounts.acked("t", 8, 1, 10));
        assertThat(inbox.take()).as("taken once").isNull();
    }

    @Test
    void nothingPushedFromManyThreadsIsLostWhileTheCheckpointerTakes() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> pushers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                long stream = t;
                pushers.add(pool.submit(() -> {
                    for (int i = 1; i <= 2_000; i++) {
                        inbox.offer(new Progress<>(List.of(new AckedOffset("t", stream, stream, 256, i * 10L)),
                                List.of(MinuteCounts.acked("t", i % 3, 1, 10))));
                    }
                }));
            }
            Map<Long, Long> offsets = new HashMap<>();
            long lines = 0;
            boolean pushing = true;
            while (pushing) {
                pushing = pushers.stream().anyMatch(f -> !f.isDone());
                Progress<AckedOffset> p = inbox.take();
                if (p != null) {
                    p.items().forEach(a -> offsets.merge(a.streamId(), a.offset(), Math::max));
                    lines += p.counts().stream().mapToLong(MinuteCounts::linesAcked).sum();
                }
            }
            for (Future<?> f : pushers) {
                f.get();
            }
            Progress<AckedOffset> rest = inbox.take();
            if (rest != null) {
                rest.items().forEach(a -> offsets.merge(a.streamId(), a.offset(), Math::max));
                lines += rest.counts().stream().mapToLong(MinuteCounts::linesAcked).sum();
            }
            assertThat(lines).isEqualTo(3 * 2_000);
            assertThat(offsets).containsOnly(Map.entry(0L, 20_000L), Map.entry(1L, 20_000L), Map.entry(2L, 20_000L));
        } finally {
            pool.shutdownNow();
        }
    }
}
