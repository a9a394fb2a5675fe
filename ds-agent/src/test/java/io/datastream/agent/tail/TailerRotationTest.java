package io.datastream.agent.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.agent.testing.LineLedger;
import io.datastream.agent.testing.LogWriter;
import io.datastream.registry.task.TaskSpec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation cases against a real tailer and discovery, with batches parsed like a router does. */
class TailerRotationTest {
    @TempDir
    Path dir;

    private TailerFixture start(String glob) throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        return new TailerFixture("", dir.resolve("data"), List.of(), new LineLedger(),
                TaskSpec.of("app", List.of(dir.resolve("logs").toString() + "/" + glob), "logs"));
    }

    private static void awaitAll(TailerFixture fx, List<String> expected) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(fx.ledger.missing(expected)).isEmpty());
    }

    @Test
    void renameAndCreateWhileTheWriterKeepsWritingToTheOldFile() throws Exception {
        Path log = dir.resolve("logs/app.log");
        try (TailerFixture fx = start("app.log*"); LogWriter w = new LogWriter(log, "a")) {
            for (int r = 1; r <= 4; r++) {
                w.write(150);
                Files.move(log, dir.resolve("logs/app.log." + r), StandardCopyOption.ATOMIC_MOVE);
                w.write(20); // still to the renamed inode
                w.reopen();
            }
            w.write(100);
            awaitAll(fx, w.written());
            fx.ledger.assertExactlyOnceAfterDedup(w.written());
            assertThat(fx.outlet.gaps()).isEmpty();
        }
    }

    @Test
    void rotatedFilesOutsideTheGlobAreReadToTheirEndAndReleased() throws Exception {
        Path log = dir.resolve("logs/app.log");
        try (TailerFixture fx = start("app.log"); LogWriter w = new LogWriter(log, "b")) {
            List<String> first = w.write(200);
            // a file rotated out of the glob before the agent ever saw it cannot be read: let it see it
            await().atMost(Duration.ofSeconds(10)).until(() -> fx.ledger.contents().contains(first.get(0)));
            Files.move(log, dir.resolve("logs/app.log.1"), StandardCopyOption.ATOMIC_MOVE);
            w.write(30);
            w.writeRaw("last line without newline");
            w.reopen();
            w.write(50);
            List<String> expected = new ArrayList<>(w.written());
            expected.add("last line without newline");
            awaitAll(fx, expected);
            fx.ledger.assertExactlyOnceAfterDedup(expected);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(fx.files()).extracting(FileStatus::path).containsExactly(log.toString()));
        }
    }

    @Test
    void copytruncateCopiesAreTheSameStreamAndTheTruncatedOriginalStartsOver() throws Exception {
        Path log = dir.resolve("logs/app.log");
        try (TailerFixture fx = start("app.log*"); LogWriter w = new LogWriter(log, "c")) {
            for (int r = 1; r <= 3; r++) {
                List<String> before = w.write(300);
                // let the agent read part of it first, as it would in real life
                await().atMost(Duration.ofSeconds(10)).until(() -> fx.ledger.contents().contains(before.get(100)));
                Files.copy(log, dir.resolve("logs/app.log." + r));
                try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
                    ch.truncate(0);
                }
                w.write(40);
            }
            awaitAll(fx, w.written());
            fx.ledger.assertExactlyOnceAfterDedup(w.written());
            assertThat(fx.snapshot().tasks().get("app").droppedBytes()).isZero();
        }
    }

    @Test
    void truncationNeverRepeatsOrSkipsWhatWasRead() throws Exception {
        Path log = dir.resolve("logs/app.log");
        try (TailerFixture fx = start("app.log"); LogWriter w = new LogWriter(log, "d")) {
            for (int r = 0; r < 3; r++) {
                List<String> lines = w.write(100);
                awaitAll(fx, lines);
                try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
                    ch.truncate(0);
                }
            }
            w.write(500); // grows past the old size at once: the changed first bytes reveal the truncation
            awaitAll(fx, w.written());
            fx.ledger.assertExactlyOnceAfterDedup(w.written());
        }
    }

    @Test
    void contentReplacedUnderTheSameInodeWhileClosedIsANewStream() throws Exception {
        Path log = dir.resolve("logs/app.log");
        try (TailerFixture fx = start("app.log")) {
            List<String> expected = new ArrayList<>();
            try (LogWriter w = new LogWriter(log, "e1")) {
                expected.addAll(w.write(100));
            }
            awaitAll(fx, expected);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(fx.files()).extracting(FileStatus::state).containsExactly("inactive"));
            // What inode reuse looks like: same (dev, ino), other content, larger than before.
            try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            try (LogWriter w = new LogWriter(log, "e2")) {
                expected.addAll(w.write(300));
            }
            awaitAll(fx, expected);
            fx.ledger.assertExactlyOnceAfterDedup(expected);
        }
    }

    @Test
    void deletedAndRecreatedFilesAreNeitherSkippedNorRepeated() throws Exception {
        Path log = dir.resolve("logs/app.log");
        List<String> expected = new ArrayList<>();
        try (TailerFixture fx = start("*.log")) {
            for (int r = 0; r < 5; r++) {
                try (LogWriter w = new LogWriter(log, "f" + r)) {
                    expected.addAll(w.write(80));
                }
                awaitAll(fx, expected);
                Files.delete(log);
            }
            fx.ledger.assertExactlyOnceAfterDedup(expected);
        }
    }

    @Test
    void aDeletedFileThatIsStillWrittenIsDrained() throws Exception {
        Path log = dir.resolve("logs/app.log");
        try (TailerFixture fx = start("app.log"); LogWriter w = new LogWriter(log, "g")) {
            w.write(100);
            await().atMost(Duration.ofSeconds(10)).until(() -> fx.ledger.distinctLines() > 0);
            Files.delete(log);
            w.write(100);
            awaitAll(fx, w.written());
            fx.ledger.assertExactlyOnceAfterDedup(w.written());
        }
    }
}
