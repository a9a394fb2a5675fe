package io.datastream.router.channel.filequeue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.datastream.router.channel.ChannelConsumer;
import io.datastream.router.channel.ChannelRecord;
import io.datastream.router.channel.FsyncPolicy;
import io.datastream.router.channel.Incarnation;
import io.datastream.router.channel.PutResult;
import io.datastream.router.channel.SafeListener;
import io.datastream.router.channel.StoredEvent;
import io.datastream.router.event.EventFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file-queue channel on a disk that fills up: a tmpfs of a few MiB mounted for the test (needs
 * root or CAP_SYS_ADMIN; skipped with the reason otherwise), and a directory made unwritable (a
 * non-root user only: root writes anyway). Before segment files were allocated ahead, a write
 * into the mapping of a sparse segment on the full tmpfs raised SIGBUS, which HotSpot turns into
 * an {@link InternalError} out of the write ("a fault occurred in a recent unsafe memory access
 * operation") or a crash of the JVM.
 */
class FileQueueDiskFullTest {
    private static final int SEGMENT = 1 << 20;

    @TempDir
    Path tmp;

    private Path mounted;
    private FileQueueChannel channel;

    @AfterEach
    void cleanUp() throws Exception {
        if (channel != null) {
            channel.close();
            channel.shutdown();
        }
        if (mounted != null) {
            if (run("umount", mounted.toString()) != 0) {
                run("umount", "-l", mounted.toString());
            }
        }
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    /** Mounts a tmpfs of {@code size} bytes, or skips the test. */
    private Path tmpfs(long size) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("tmpfs"));
        int rc = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
        assumeTrue(rc == 0, "cannot mount a tmpfs here (mount exited " + rc + "; needs root or CAP_SYS_ADMIN): no size-limited file system");
        mounted = dir;
        return dir;
    }

    private FileQueueChannel open(Path dir) throws IOException {
        FileQueueChannel.Settings s = new FileQueueChannel.Settings(dir.resolve("channel"), 64L << 20, SEGMENT, FsyncPolicy.NEVER, 20, 20);
        channel = FileQueueChannel.open("events", EventFormat.JSON, s, Incarnation.next(), List.of(new FileQueueChannel.ConsumerSpec("a", false)));
        return channel;
    }

    private static StoredEvent event(int i) {
        byte[] data = ("{\"headers\":{},\"body\":\"event-" + i + "-" + "x".repeat(900) + "\"}").getBytes(StandardCharsets.UTF_8);
        return new StoredEvent(data, data.length);
    }

    /** Counts what the channel says about puts. */
    private static final class Answers implements SafeListener {
        final AtomicInteger safe = new AtomicInteger();
        final AtomicInteger notStored = new AtomicInteger();

        @Override
        public void safe() {
            safe.incrementAndGet();
        }

        @Override
        public void notStored() {
            notStored.incrementAndGet();
        }
    }

    /** Puts events from {@code from} on, one per put, until the channel answers FULL; returns the next event number. */
    private static int putUntilFull(FileQueueChannel ch, int from, Answers answers) {
        int i = from;
        while (true) {
            StoredEvent e = event(i);
            PutResult r = ch.reserve(e.cost());
            if (r == PutResult.FULL) {
                return i;
            }
            assertThat(r).isEqualTo(PutResult.OK);
            ch.put(List.of(e), e.cost(), answers);
            i++;
            assertThat(i - from).as("events put without the disk filling up").isLessThan(100_000);
        }
    }

    private static List<ChannelRecord> drain(ChannelConsumer c) throws InterruptedException {
        List<ChannelRecord> all = new ArrayList<>();
        List<ChannelRecord> r;
        while (!(r = c.take(500, 1 << 20, 0, TimeUnit.MILLISECONDS)).isEmpty()) {
            all.addAll(r);
            c.commit(r.get(r.size() - 1).nextPosition());
        }
        return all;
    }

    private static void assertEvents(List<ChannelRecord> records, int from, int to, long startPosition) {
        assertThat(records).hasSize(to - from);
        long pos = startPosition;
        for (int i = 0; i < records.size(); i++) {
            ChannelRecord r = records.get(i);
            assertThat(r.position()).isEqualTo(pos);
            assertThat(new String(r.data(), StandardCharsets.UTF_8)).isEqualTo(new String(event(from + i).data(), StandardCharsets.UTF_8));
            pos = r.nextPosition();
        }
    }

    @Test
    void aFullFileSystemAnswersFullCountsAndTakesEventsAgainOnceTheSinksFreedRoom() throws Exception {
        Path fs = tmpfs(4L * SEGMENT);
        FileQueueChannel ch = open(fs);
        Answers answers = new Answers();
        int full = putUntilFull(ch, 0, answers);

        // the file system is full, far below the channel's capacity: FULL, counted, and the JVM lives on
        assertThat(full).isGreaterThan(1000);
        assertThat(ch.usedBytes()).isLessThan(ch.capacityBytes() / 8);
        assertThat(ch.segmentFailures()).isPositive();
        assertThat(ch.cannotCreateSegments()).isTrue();
        assertThat(answers.safe).hasValue(full);
        assertThat(answers.notStored).hasValue(0);
        StoredEvent more = event(full);
        assertThat(ch.reserve(more.cost())).isEqualTo(PutResult.FULL);

        // the sink takes everything; the flusher deletes the consumed segments and puts go in again
        ChannelConsumer a = ch.consumer("a");
        assertEvents(drain(a), 0, full, 0);
        long end = ch.endPosition();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            StoredEvent e = event(full);
            if (ch.reserve(e.cost()) != PutResult.OK) {
                return false;
            }
            ch.put(List.of(e), e.cost(), answers);
            return true;
        });
        assertThat(ch.cannotCreateSegments()).isFalse();
        int next = putUntilFull(ch, full + 1, answers);
        assertThat(next - full).isGreaterThan(1000);
        assertThat(answers.notStored).hasValue(0);
        assertEvents(drain(a), full, next, end);
    }

    @Test
    void aChannelOpenedOnAFullFileSystemOpensDrainsAndTakesEventsOnceThereIsRoom() throws Exception {
        Path fs = tmpfs(4L * SEGMENT);
        FileQueueChannel first = open(fs);
        Answers answers = new Answers();
        int full = putUntilFull(first, 0, answers);
        first.close();
        first.shutdown();
        channel = null;
        // fill the file system but for 8 KiB: room for a segment's header, not for a segment
        Path filler = fs.resolve("filler");
        try (FileChannel fc = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate(4096);
            try {
                while (true) {
                    zeros.clear();
                    fc.write(zeros);
                }
            } catch (IOException diskFull) {
                fc.truncate(Math.max(0, fc.size() - 8192));
            }
        }

        FileQueueChannel ch = open(fs);
        assertThat(ch.segmentFailures()).isPositive();
        assertThat(ch.cannotCreateSegments()).isTrue();
        StoredEvent e = event(full);
        assertThat(ch.reserve(e.cost())).isEqualTo(PutResult.FULL);
        // the events of the first run are all there for the sink
        ChannelConsumer a = ch.consumer("a");
        assertEvents(drain(a), 0, full, 0);
        Files.delete(filler);
        await().atMost(Duration.ofSeconds(30)).until(() -> ch.reserve(e.cost()) == PutResult.OK);
        long end = ch.endPosition();
        ch.put(List.of(e), e.cost(), answers);
        assertThat(answers.notStored).hasValue(0);
        assertEvents(drain(a), full, full + 1, end);
    }

    @Test
    void allocatingASegmentFileBeyondTheRoomLeftFailsWithAnIOException() throws Exception {
        Path fs = tmpfs(4L * SEGMENT);
        // what the channel did before: a sparse file takes any length, and a write to a page
        // without a block would raise SIGBUS
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(fs.resolve("sparse").toFile(), "rw")) {
            f.setLength(8L * SEGMENT);
        }
        Files.delete(fs.resolve("sparse"));
        // the free-space check skipped: the zeros written meet ENOSPC, the file is deleted
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Segment.allocate(fs, "big", 8 * SEGMENT, -16L * SEGMENT))
                .isInstanceOf(IOException.class).hasMessageContaining("No space left on device");
        try (var files = Files.list(fs)) {
            assertThat(files).isEmpty();
        }
        // and with the check: refused before writing anything
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Segment.allocate(fs, "big", 8 * SEGMENT))
                .isInstanceOf(IOException.class).hasMessageContaining("no room for a segment file");
        // a file that fits is allocated: its blocks are taken at once
        Segment.Allocated a = Segment.allocate(fs, "fits", 2 * SEGMENT);
        assertThat(Files.getFileStore(fs).getUsableSpace()).isLessThanOrEqualTo(2L * SEGMENT);
        a.discard();
    }

    @Test
    void anUnwritableDirectoryAnswersFullUntilItIsWritableAgain() throws Exception {
        FileQueueChannel ch = open(tmp);
        Path dir = tmp.resolve("channel");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
        try {
            assumeTrue(!Files.isWritable(dir), "running as root: permissions do not stop writes here (the tmpfs tests cover a full disk)");
            Answers answers = new Answers();
            int full = putUntilFull(ch, 0, answers);
            assertThat(ch.segmentFailures()).isPositive();
            assertThat(answers.notStored).hasValue(0);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            StoredEvent e = event(full);
            await().atMost(Duration.ofSeconds(30)).until(() -> ch.reserve(e.cost()) == PutResult.OK);
            ch.put(List.of(e), e.cost(), answers);
            assertEvents(drain(ch.consumer("a")), 0, full + 1, 0);
            assertThat(ch.cannotCreateSegments()).isFalse();
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
