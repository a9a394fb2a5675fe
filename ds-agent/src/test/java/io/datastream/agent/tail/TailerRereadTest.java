package io.datastream.agent.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.agent.batch.OutBatch;
import io.datastream.agent.checkpoint.CheckpointEntry;
import io.datastream.agent.checkpoint.CountedRange;
import io.datastream.agent.checkpoint.MinuteCounts;
import io.datastream.agent.checkpoint.Progress;
import io.datastream.agent.checkpoint.ProgressInbox;
import io.datastream.agent.checkpoint.StreamInfo;
import io.datastream.agent.fingerprint.XxHash64;
import io.datastream.agent.testing.LineLedger;
import io.datastream.registry.task.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a restart the lines between the checkpoint's acknowledged offset and its counted offset
 * are read again as re-reads (sent, not counted as read again), in batches of the minute they were
 * first read in that end where that minute's lines end; the lines after it are counted as read, in
 * the minute the stopped process was reading in (it may have sent them in that minute), and the
 * counted offset moves with them.
 */
class TailerRereadTest {
    private static final int LINE = 40;

    @TempDir
    Path dir;

    @Test
    void linesBelowTheCountedOffsetAreReReadNotCountedAgain() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path log = logs.resolve("app.log");
        List<String> lines = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            String line = String.format("line %03d %-30s", i, "payload").substring(0, LINE - 1);
            lines.add(line);
            sb.append(line).append('\n');
        }
        Files.writeString(log, sb.toString());
        TaskSpec task = new TaskSpec("app", List.of(logs + "/*.log"), null, "topic-app", Map.of(), null, null, null, null, null, null,
                null, null, null);
        int fpBytes = 256; // files.fingerprintBytes by default
        byte[] head = Arrays.copyOf(Files.readAllBytes(log), fpBytes);
        long stream = XxHash64.hash(head, 0, head.length, 0);
        // acknowledged up to line 20, counted as read up to line 50 when the agent was killed: lines
        // 20-29 read two minutes ago, 30-49 a minute ago
        long minute = System.currentTimeMillis() / 60_000;
        CheckpointEntry cp = new CheckpointEntry("app", stream, stream, fpBytes, 20L * LINE, -1, -1, log.toString(),
                System.currentTimeMillis(), 50L * LINE, List.of(new CountedRange(30L * LINE, minute - 2), new CountedRange(50L * LINE, minute - 1)));
        // the stopped process was reading new lines in minute - 1 (its checkpoint's open minute); the
        // test takes the pushed progress as the checkpointer would
        Pushed pushed = new Pushed();
        TailerFixture fx = new TailerFixture("", dir.resolve("data"), List.of(cp), tl -> {
            tl.persistKeys(minute - 1);
            tl.progressTo(pushed.inbox::offer);
        }, new LineLedger(), task);
        try (fx) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(fx.ledger.missing(lines.subList(20, 100))).isEmpty());
            List<OutBatch> batches = fx.outlet.submitted;
            assertThat(batches).allSatisfy(b -> assertThat(b.startOffset() >= 50L * LINE || b.endOffset() <= 50L * LINE)
                    .as("no batch runs across the counted offset: %s", b).isTrue());
            assertThat(batches).allSatisfy(b -> assertThat(b.startOffset() >= 30L * LINE || b.endOffset() <= 30L * LINE)
                    .as("nor across a minute's end: %s", b).isTrue());
            assertThat(batches).allSatisfy(b -> assertThat(b.createdMillis() / 60_000)
                    .as("the minute of %s", b).isEqualTo(b.endOffset() <= 30L * LINE ? minute - 2 : minute - 1));
            assertThat(batches.stream().filter(OutBatch::reread).mapToLong(OutBatch::records).sum()).as("lines re-read").isEqualTo(30);
            assertThat(batches.stream().filter(b -> !b.reread()).mapToLong(OutBatch::startOffset).min().orElse(-1))
                    .as("the first batch counted as read").isEqualTo(50L * LINE);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pushed.take().countedOffset(stream))
                    .as("the counted offset pushed").isEqualTo(100L * LINE));
            assertThat(pushed.linesRead()).as("lines counted as read").isEqualTo(50);
            assertThat(pushed.read).extracting(MinuteCounts::minute).as("in the minute the stopped process read in").containsOnly(minute - 1);
            assertThat(pushed.read.stream().mapToLong(MinuteCounts::bytesRead).sum()).isEqualTo(50L * LINE);
            assertThat(pushed.openMinute).as("the minute it announces for new lines").isGreaterThanOrEqualTo(minute);

            // lines written after the restart are read once a checkpoint holds the announced minute, in that minute
            List<String> more = new ArrayList<>();
            StringBuilder next = new StringBuilder();
            for (int i = 100; i < 110; i++) {
                String line = String.format("line %03d %-30s", i, "after").substring(0, LINE - 1);
                more.add(line);
                next.append(line).append('\n');
            }
            Files.writeString(log, next.toString(), java.nio.file.StandardOpenOption.APPEND);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                fx.tailer.persisted(pushed.take().openMinute); // as the checkpointer would once it wrote it
                assertThat(fx.ledger.missing(more)).isEmpty();
            });
            assertThat(fx.outlet.submitted).filteredOn(b -> b.startOffset() >= 100L * LINE)
                    .allSatisfy(b -> assertThat(pushed.announced).as("read in an announced minute").contains(b.createdMillis() / 60_000));
        }
        pushed.take(); // the last push, when the tailer stopped
        assertThat(pushed.countedOffset(stream)).isEqualTo(110L * LINE);
        assertThat(pushed.read).as("every line counted once, over all the pushes")
                .allSatisfy(c -> assertThat(c.minute() == minute - 1 || pushed.announced.contains(c.minute())).isTrue());
        assertThat(pushed.read.stream().filter(c -> c.minute() == minute - 1).mapToLong(MinuteCounts::linesRead).sum()).isEqualTo(50);
        assertThat(pushed.linesRead()).isEqualTo(60);
    }

    /** What the tailer pushed, as the checkpointer would add it up. */
    private static final class Pushed {
        final ProgressInbox<StreamInfo> inbox = ProgressInbox.streams();
        final List<MinuteCounts> read = new ArrayList<>();
        final Map<Long, Long> counted = new java.util.HashMap<>();
        final java.util.Set<Long> announced = new java.util.TreeSet<>();
        long openMinute = -1;

        synchronized Pushed take() {
            Progress<StreamInfo> p = inbox.take();
            if (p != null) {
                read.addAll(p.counts());
                p.items().forEach(s -> counted.merge(s.streamId(), s.countedOffset(), Math::max));
                if (p.openMinute() >= 0) {
                    openMinute = p.openMinute();
                    announced.add(openMinute);
                }
            }
            return this;
        }

        synchronized long countedOffset(long stream) {
            return counted.getOrDefault(stream, -1L);
        }

        synchronized long linesRead() {
            return read.stream().mapToLong(MinuteCounts::linesRead).sum();
        }
    }
}
