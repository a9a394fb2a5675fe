package io.datastream.agent.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointerTest {
    @TempDir
    Path dir;

    private final List<StreamInfo> streams = new ArrayList<>();
    private final ProgressInbox<AckedOffset> acks = ProgressInbox.acked();
    private final AtomicLong now = new AtomicLong(1_000_000);

    private Checkpointer checkpointer(List<CheckpointEntry> initial) {
        return new Checkpointer(new CheckpointFile(dir), initial, () -> take(streams), acks, 60_000, now::get);
    }

    private static <T> CompletableFuture<Collection<T>> take(List<T> l) {
        List<T> copy = new ArrayList<>(l);
        l.clear();
        return CompletableFuture.completedFuture(copy);
    }

    private void ack(AckedOffset a) {
        acks.offer(Progress.of(List.of(a)));
    }

    private List<CheckpointEntry> saved() throws Exception {
        return new CheckpointFile(dir).load().entries();
    }

    @Test
    void offsetsOnlyGrowAndRegistrationsKeepThem() throws Exception {
        Checkpointer c = checkpointer(List.of());
        streams.add(new StreamInfo("t", 7, 7, 256, 100, 1, 2, "/a.log", now.get()));
        c.tick();
        assertThat(saved()).extracting(CheckpointEntry::offset).containsExactly(100L);
        ack(new AckedOffset("t", 7, 7, 256, 500));
        c.tick();
        ack(new AckedOffset("t", 7, 7, 256, 300)); // a stale ack never moves it back
        streams.add(new StreamInfo("t", 7, 7, 256, 100, 1, 2, "/a.log.1", now.get())); // renamed
        c.tick();
        assertThat(saved()).singleElement().satisfies(e -> {
            assertThat(e.offset()).isEqualTo(500);
            assertThat(e.path()).isEqualTo("/a.log.1");
        });
    }

    @Test
    void anAckBeforeTheRegistrationStillCreatesTheEntry() throws Exception {
        Checkpointer c = checkpointer(List.of());
        ack(new AckedOffset("t", 9, 9, 20, 42));
        c.tick();
        assertThat(saved()).singleElement().satisfies(e -> {
            assertThat(e.offset()).isEqualTo(42);
            assertThat(e.fingerprintLength()).isEqualTo(20);
        });
    }

    @Test
    void minuteCountsAddUpWithTheirOffsetsAndOldMinutesAreForgotten() throws Exception {
        List<MinuteCounts> read = new ArrayList<>();
        long minute = now.get() / 60_000;
        Checkpointer c = new Checkpointer(new CheckpointFile(dir), List.of(), List.of(MinuteCounts.read("t", minute - 1, 5, 50)),
                () -> CompletableFuture.completedFuture(new Progress<>(take(streams).join(), take(read).join())),
                acks, 600_000, 3, now::get);
        streams.add(new StreamInfo("t", 7, 7, 256, 0, 1, 2, "/a.log", now.get(), 300));
        read.add(MinuteCounts.read("t", minute, 3, 300));
        c.tick();
        acks.offer(new Progress<>(List.of(new AckedOffset("t", 7, 7, 256, 100)), List.of(MinuteCounts.acked("t", minute, 1, 100))));
        read.add(MinuteCounts.read("t", minute, 2, 200));
        streams.add(new StreamInfo("t", 7, 7, 256, 0, 1, 2, "/a.log", now.get(), 500));
        c.tick();
        CheckpointFormat.Contents saved = new CheckpointFile(dir).load();
        assertThat(saved.entries()).singleElement().satisfies(e -> {
            assertThat(e.offset()).isEqualTo(100);
            assertThat(e.countedOffset()).isEqualTo(500);
        });
        assertThat(saved.counts()).containsExactlyInAnyOrder(new MinuteCounts("t", minute - 1, 5, 50, 0, 0),
                new MinuteCounts("t", minute, 5, 500, 1, 100));
        now.addAndGet(3 * 60_000L); // minute - 1 leaves the 3 minutes kept
        c.tick();
        assertThat(new CheckpointFile(dir).load().counts()).extracting(MinuteCounts::minute).containsExactly(minute);
    }

    @Test
    void theTailersOpenMinuteIsConfirmedOnlyOnceAFileHoldsIt() throws Exception {
        List<Long> confirmed = new ArrayList<>();
        long[] open = {-1};
        Path notADirectory = java.nio.file.Files.writeString(dir.resolve("file"), "x");
        Checkpointer broken = new Checkpointer(new CheckpointFile(notADirectory), List.of(), List.of(),
                () -> CompletableFuture.completedFuture(new Progress<StreamInfo>(List.of(), List.of(), 8)),
                acks, 600_000, 60, now::get)
                .afterWrite(confirmed::add);
        broken.tick();
        assertThat(confirmed).as("not written: not confirmed").isEmpty();

        Checkpointer c = new Checkpointer(new CheckpointFile(dir), List.of(), List.of(),
                () -> CompletableFuture.completedFuture(new Progress<StreamInfo>(List.of(), List.of(), open[0])),
                acks, 600_000, 60, now::get)
                .openMinute(7).afterWrite(confirmed::add);
        c.tick();
        assertThat(confirmed).as("the loaded file holds 7").containsExactly(7L);
        open[0] = 8;
        c.tick();
        assertThat(confirmed).containsExactly(7L, 8L);
        assertThat(new CheckpointFile(dir).load().openMinute()).isEqualTo(8);
    }

    @Test
    void writesOnlyWhenSomethingChangedAndForgetsOldEntries() throws Exception {
        Checkpointer c = checkpointer(List.of(new CheckpointEntry("t", 1, 1, 256, 10, 0, 0, "/old", now.get() - 59_000)));
        c.tick();
        assertThat(c.writes()).isZero();
        now.addAndGet(2_000);
        c.tick();
        assertThat(c.writes()).isEqualTo(1);
        assertThat(saved()).isEmpty();
    }

    @Test
    void theTailersProgressPushedInTwoPartsIsWrittenAsIfPulledPartByPart() throws Exception {
        long minute = now.get() / 60_000;
        StreamInfo first = new StreamInfo("t", 7, 7, 256, 0, 1, 2, "/a.log", now.get(), 300, List.of(new CountedRange(300, minute)));
        StreamInfo second = new StreamInfo("t", 7, 7, 256, 0, 1, 2, "/a.log.1", now.get(), 500,
                List.of(new CountedRange(300, minute), new CountedRange(500, minute + 1)));
        StreamInfo stale = new StreamInfo("t", 7, 7, 256, 0, 1, 2, "/a.log.1", now.get(), 400, List.of()); // counted less, no ranges

        List<Progress<StreamInfo>> parts = List.of(new Progress<>(List.of(first), List.of(MinuteCounts.read("t", minute, 3, 300))),
                new Progress<>(List.of(second), List.of(MinuteCounts.read("t", minute + 1, 2, 200)), minute + 1),
                new Progress<>(List.of(stale), List.of()));
        Path pulledDir = java.nio.file.Files.createDirectories(dir.resolve("pulled"));
        Path pushedDir = java.nio.file.Files.createDirectories(dir.resolve("pushed"));
        java.util.ArrayDeque<Progress<StreamInfo>> toPull = new java.util.ArrayDeque<>(parts);
        List<Long> pulledConfirmed = new ArrayList<>();
        Checkpointer pulled = new Checkpointer(new CheckpointFile(pulledDir), List.of(), List.of(),
                () -> CompletableFuture.completedFuture(toPull.poll()), ProgressInbox.acked(), 600_000, 60, now::get)
                .afterWrite(pulledConfirmed::add);
        for (int i = 0; i < parts.size(); i++) {
            pulled.tick();
        }
        ProgressInbox<StreamInfo> streams = ProgressInbox.streams();
        List<Long> pushedConfirmed = new ArrayList<>();
        Checkpointer pushed = new Checkpointer(new CheckpointFile(pushedDir), List.of(), List.of(), streams, ProgressInbox.acked(),
                600_000, 60, now::get).afterWrite(pushedConfirmed::add);
        parts.forEach(streams::offer);
        pushed.tick();

        CheckpointFormat.Contents a = new CheckpointFile(pulledDir).load();
        CheckpointFormat.Contents b = new CheckpointFile(pushedDir).load();
        assertThat(b.entries()).isEqualTo(a.entries()).singleElement().satisfies(e -> {
            assertThat(e.countedOffset()).isEqualTo(500);
            assertThat(e.ranges()).hasSize(2);
            assertThat(e.path()).isEqualTo("/a.log.1");
        });
        assertThat(b.counts()).containsExactlyInAnyOrderElementsOf(a.counts()).hasSize(2);
        assertThat(b.openMinute()).isEqualTo(a.openMinute()).isEqualTo(minute + 1);
        assertThat(pushedConfirmed).containsExactly(minute + 1);
        assertThat(pulledConfirmed).endsWith(minute + 1);
    }

    /**
     * The tailer pushes a batch's read count before it hands the batch on, so the shipper's
     * acknowledgement of it is pushed later. Here the acknowledgement arrives while the checkpointer
     * takes the tailer's (still empty) progress, the count in the tailer's next one: a checkpoint
     * must never hold the acknowledgement without the count, or a kill -9 then loses the count (the
     * restarted agent does not read acknowledged lines again).
     */
    @Test
    void aCheckpointNeverHoldsAnAcknowledgementWithoutItsReadCount() throws Exception {
        long minute = now.get() / 60_000;
        List<Progress<StreamInfo>> tailer = new ArrayList<>();
        tailer.add(new Progress<>(List.of(), List.of()));
        tailer.add(new Progress<>(List.of(new StreamInfo("t", 7, 7, 256, 0, 1, 2, "/a.log", now.get(), 100)),
                List.of(MinuteCounts.read("t", minute, 1, 100))));
        Checkpointer c = new Checkpointer(new CheckpointFile(dir), List.of(), List.of(), () -> {
            if (tailer.size() == 2) { // the tailer pushes its count (taken next round), then the shipper its acknowledgement
                acks.offer(new Progress<>(List.of(new AckedOffset("t", 7, 7, 256, 100)), List.of(MinuteCounts.acked("t", minute, 1, 100))));
            }
            return CompletableFuture.completedFuture(tailer.isEmpty() ? new Progress<>(List.of(), List.of()) : tailer.remove(0));
        }, acks, 600_000, 3, now::get);
        for (int round = 0; round < 3; round++) {
            c.tick();
            CheckpointFormat.Contents saved = new CheckpointFile(dir).load();
            long read = saved.counts().stream().mapToLong(MinuteCounts::linesRead).sum();
            long acked = saved.counts().stream().mapToLong(MinuteCounts::linesAcked).sum();
            assertThat(acked).as("round %d: lines acknowledged, at most those read", round).isLessThanOrEqualTo(read);
            assertThat(saved.entries()).allSatisfy(e -> assertThat(e.offset()).as("acknowledged offset within the counted one")
                    .isLessThanOrEqualTo(e.countedOffset()));
        }
        CheckpointFormat.Contents saved = new CheckpointFile(dir).load();
        assertThat(saved.counts()).singleElement().satisfies(m -> {
            assertThat(m.linesRead()).isEqualTo(1);
            assertThat(m.linesAcked()).isEqualTo(1);
        });
    }
}
