package io.datastream.router.channel.filequeue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.router.channel.ChannelConsumer;
import io.datastream.router.channel.ChannelRecord;
import io.datastream.router.channel.ChannelRepair;
import io.datastream.router.channel.FsyncPolicy;
import io.datastream.router.channel.Incarnation;
import io.datastream.router.channel.PutResult;
import io.datastream.router.channel.StoredEvent;
import io.datastream.router.event.EventFormat;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileQueueChannelTest {
    @TempDir
    Path dir;

    private FileQueueChannel.Settings settings(long capacity, int segment, FsyncPolicy fsync) {
        return new FileQueueChannel.Settings(dir, capacity, segment, fsync, 20, 20);
    }

    private static FileQueueChannel open(FileQueueChannel.Settings s, String... consumers) throws IOException {
        List<FileQueueChannel.ConsumerSpec> specs = new ArrayList<>();
        for (String c : consumers) {
            specs.add(new FileQueueChannel.ConsumerSpec(c.replace("~", ""), c.startsWith("~")));
        }
        return FileQueueChannel.open("events", EventFormat.JSON, s, Incarnation.next(), specs);
    }

    static StoredEvent event(int i) {
        byte[] data = ("{\"headers\":{},\"body\":\"event-" + i + "-" + "x".repeat(i % 50) + "\"}").getBytes(StandardCharsets.UTF_8);
        return new StoredEvent(data, data.length);
    }

    /** Puts events {@code from..to-1} one request each; returns how many were answered safe. */
    static AtomicInteger put(FileQueueChannel ch, int from, int to) {
        AtomicInteger safe = new AtomicInteger();
        for (int i = from; i < to; i++) {
            StoredEvent e = event(i);
            assertThat(ch.reserve(e.cost())).isEqualTo(PutResult.OK);
            ch.put(List.of(e), e.cost(), safe::incrementAndGet);
        }
        return safe;
    }

    static List<ChannelRecord> drain(ChannelConsumer c, boolean commit) throws InterruptedException {
        List<ChannelRecord> all = new ArrayList<>();
        List<ChannelRecord> r;
        while (!(r = c.take(97, 1 << 20, 0, TimeUnit.MILLISECONDS)).isEmpty()) {
            all.addAll(r);
            if (commit) {
                c.commit(r.get(r.size() - 1).nextPosition());
            }
        }
        return all;
    }

    static String body(ChannelRecord r) {
        return new String(r.data(), StandardCharsets.UTF_8);
    }

    @Test
    void eventsAcrossSegmentsAreReadInOrderByEachConsumerAtContiguousPositions() throws Exception {
        FileQueueChannel ch = open(settings(1 << 20, 4096, FsyncPolicy.NEVER), "a", "b");
        AtomicInteger safe = put(ch, 0, 1000);
        assertThat(safe).hasValue(1000); // never: safe once in the mapping
        assertThat(ch.segmentCount()).isGreaterThan(10);
        for (String name : List.of("a", "b")) {
            List<ChannelRecord> all = drain(ch.consumer(name), name.equals("a"));
            assertThat(all).hasSize(1000);
            long pos = 0;
            for (int i = 0; i < all.size(); i++) {
                ChannelRecord r = all.get(i);
                assertThat(r.position()).isEqualTo(pos);
                assertThat(r.incarnation()).isEqualTo(ch.incarnation());
                assertThat(body(r)).isEqualTo(new String(event(i).data(), StandardCharsets.UTF_8));
                pos = r.nextPosition();
            }
            assertThat(pos).isEqualTo(ch.endPosition());
        }
        assertThat(ch.consumer("a").lagEvents()).isZero();
        assertThat(ch.consumer("b").lagEvents()).isEqualTo(1000);
        int before = ch.segmentCount();
        ChannelConsumer b = ch.consumer("b");
        b.rewind();
        drain(b, true);
        // both committed everything: the flusher persists the positions and deletes the sealed segments
        await().atMost(Duration.ofSeconds(10)).until(() -> ch.segmentCount() == 1);
        assertThat(before).isGreaterThan(1);
        assertThat(ch.usedBytes()).isLessThanOrEqualTo(4096); // the frames of the segment being written
        ch.close();
        ch.shutdown();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".seg")).count()).isEqualTo(1);
        }
    }

    @Test
    void aRestartResumesEachConsumerAtItsPersistedPositionAndKeepsIdentities() throws Exception {
        FileQueueChannel ch = open(settings(1 << 20, 4096, FsyncPolicy.INTERVAL), "a", "b");
        AtomicInteger safe = put(ch, 0, 300);
        await().atMost(Duration.ofSeconds(10)).until(() -> safe.get() == 300); // interval: safe after the periodic force
        Incarnation first = ch.incarnation();
        ChannelConsumer a = ch.consumer("a");
        List<ChannelRecord> taken = a.take(100, 1 << 20, 1, TimeUnit.SECONDS);
        a.commit(taken.get(99).nextPosition());
        long committed = a.committedPosition();
        ch.close();
        ch.shutdown();

        FileQueueChannel again = open(settings(1 << 20, 4096, FsyncPolicy.INTERVAL), "a", "b");
        assertThat(again.incarnation()).isNotEqualTo(first);
        put(again, 300, 310);
        List<ChannelRecord> restA = drain(again.consumer("a"), true);
        assertThat(restA).hasSize(210);
        assertThat(restA.get(0).position()).isEqualTo(committed);
        assertThat(body(restA.get(0))).isEqualTo(new String(event(100).data(), StandardCharsets.UTF_8));
        // re-delivered events keep the incarnation (identity) that wrote them; new ones get the new one
        assertThat(restA.subList(0, 200)).allMatch(r -> r.incarnation().equals(first));
        assertThat(restA.subList(200, 210)).allMatch(r -> r.incarnation().equals(again.incarnation()));
        List<ChannelRecord> allB = drain(again.consumer("b"), false);
        assertThat(allB).hasSize(310);
        assertThat(allB.get(0).position()).isZero();
        assertThat(allB.get(100).position()).isEqualTo(committed);
        assertThat(again.repairs(ChannelRepair.TORN_TAIL) + again.repairs(ChannelRepair.BAD_SEGMENT)
                + again.repairs(ChannelRepair.BAD_POSITION)).isZero();
        again.shutdown();
    }

    private Path lastSegmentWithEvents() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).filter(p -> p.toFile().length() > SegmentLayout.HEADER_BYTES)
                    .sorted().reduce((x, y) -> y).orElseThrow();
        }
    }

    @Test
    void aCorruptTailIsCutOffCountedAndTheChannelOpens() throws Exception {
        FileQueueChannel ch = open(settings(1 << 20, 1 << 20, FsyncPolicy.NEVER), "a");
        put(ch, 0, 100);
        ch.shutdown();
        Path seg = lastSegmentWithEvents();
        long size = Files.size(seg);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(size - 10); // inside the last event's data: its CRC no longer matches
            f.write(f.read() ^ 0x5a);
        }
        FileQueueChannel again = open(settings(1 << 20, 1 << 20, FsyncPolicy.NEVER), "a");
        assertThat(again.repairs(ChannelRepair.TORN_TAIL)).isEqualTo(1);
        assertThat(again.repairedBytes()).isPositive();
        put(again, 100, 110);
        List<ChannelRecord> all = drain(again.consumer("a"), true);
        assertThat(all).hasSize(99 + 10);
        assertThat(body(all.get(98))).isEqualTo(new String(event(98).data(), StandardCharsets.UTF_8));
        assertThat(body(all.get(99))).isEqualTo(new String(event(100).data(), StandardCharsets.UTF_8));
        again.shutdown();
    }

    @Test
    void aTruncatedSegmentAndAnUnreadableOneAreRepairedAndCounted() throws Exception {
        FileQueueChannel ch = open(settings(1 << 20, 8192, FsyncPolicy.NEVER), "a");
        put(ch, 0, 600);
        ch.shutdown();
        List<Path> segs;
        try (Stream<Path> files = Files.list(dir)) {
            segs = files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
        Path last = lastSegmentWithEvents();
        try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
            f.setLength(f.length() - 7); // cut in the middle of the last frame
        }
        try (RandomAccessFile f = new RandomAccessFile(segs.get(1).toFile(), "rw")) {
            f.write(new byte[] {1, 2, 3, 4}); // magic gone
        }
        FileQueueChannel again = open(settings(1 << 20, 8192, FsyncPolicy.NEVER), "a");
        assertThat(again.repairs(ChannelRepair.TORN_TAIL)).isEqualTo(1);
        assertThat(again.repairs(ChannelRepair.BAD_SEGMENT)).isEqualTo(1);
        assertThat(Files.exists(segs.get(1))).isFalse();
        List<ChannelRecord> all = drain(again.consumer("a"), true);
        assertThat(segs).hasSizeGreaterThan(3);
        assertThat(all).isNotEmpty().hasSizeLessThan(599);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).position()).isGreaterThan(all.get(i - 1).position());
        }
        assertThat(body(all.get(0))).isEqualTo(new String(event(0).data(), StandardCharsets.UTF_8));
        again.shutdown();
    }

    @Test
    void anUnreadablePositionFileStartsTheConsumerAtTheOldestEventAndIsCounted() throws Exception {
        FileQueueChannel ch = open(settings(1 << 20, 8192, FsyncPolicy.NEVER), "a");
        put(ch, 0, 20);
        drain(ch.consumer("a"), true);
        ch.shutdown();
        Path pos = dir.resolve("consumers").resolve("a.pos");
        assertThat(PositionFile.read(pos).present()).isTrue();
        Files.write(pos, new byte[] {9, 9, 9});
        FileQueueChannel again = open(settings(1 << 20, 8192, FsyncPolicy.NEVER), "a");
        assertThat(again.repairs(ChannelRepair.BAD_POSITION)).isEqualTo(1);
        assertThat(drain(again.consumer("a"), false)).hasSize(20);
        again.shutdown();
    }

    @Test
    void fullUntilTheSlowestConsumerCommitsThenRoomAgain() throws Exception {
        FileQueueChannel ch = open(settings(64 << 10, 8192, FsyncPolicy.ALWAYS), "a", "b");
        int i = 0;
        AtomicInteger safe = new AtomicInteger();
        while (true) {
            StoredEvent e = event(i);
            PutResult r = ch.reserve(e.cost());
            if (r == PutResult.FULL) {
                break;
            }
            ch.put(List.of(e), e.cost(), safe::incrementAndGet);
            i++;
        }
        int written = i;
        await().atMost(Duration.ofSeconds(10)).until(() -> safe.get() == written); // always: safe after the force
        assertThat(ch.usedBytes()).isLessThanOrEqualTo(64 << 10);
        drain(ch.consumer("a"), true);
        assertThat(ch.reserve(event(0).cost())).isEqualTo(PutResult.FULL); // b holds every segment
        assertThat(drain(ch.consumer("b"), true)).hasSize(written);
        await().atMost(Duration.ofSeconds(10)).until(() -> ch.reserve(event(0).cost()) == PutResult.OK);
        ch.unreserve(event(0).cost());
        assertThat(ch.consumer("a").droppedEvents() + ch.consumer("b").droppedEvents()).isZero();
        ch.shutdown();
    }

    @Test
    void aBestEffortConsumerThatHoldsTheChannelFullLosesItsOldestEventsCounted() throws Exception {
        FileQueueChannel ch = open(settings(64 << 10, 8192, FsyncPolicy.NEVER), "a", "~slow");
        ChannelConsumer a = ch.consumer("a");
        ChannelConsumer slow = ch.consumer("slow");
        List<ChannelRecord> seenByA = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            StoredEvent e = event(i);
            PutResult r = ch.reserve(e.cost());
            while (r == PutResult.FULL) { // a is behind: it drains and the flusher deletes what it passed
                seenByA.addAll(drain(a, true));
                Thread.onSpinWait();
                r = ch.reserve(e.cost());
            }
            assertThat(r).isEqualTo(PutResult.OK);
            ch.put(List.of(e), e.cost(), () -> { });
        }
        seenByA.addAll(drain(a, true));
        assertThat(seenByA).hasSize(3000); // the back-pressured consumer loses nothing
        long dropped = slow.droppedEvents();
        assertThat(dropped).isPositive();
        List<ChannelRecord> seenBySlow = drain(slow, true);
        assertThat(seenBySlow.size() + dropped).isEqualTo(3000);
        assertThat(body(seenBySlow.get(seenBySlow.size() - 1))).isEqualTo(new String(event(2999).data(), StandardCharsets.UTF_8));
        ch.shutdown();
    }
}
