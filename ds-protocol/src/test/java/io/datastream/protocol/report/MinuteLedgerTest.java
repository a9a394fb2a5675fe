package io.datastream.protocol.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MinuteLedgerTest {
    @Test
    void aMinuteIsPendingUntilAcknowledgedAndAgainAfterItChanges() {
        MinuteLedger l = new MinuteLedger(10, 1000);
        l.add("web", 100, ReportCount.LINES_READ, 5, ReportCount.BYTES_READ, 50);
        l.add("web", 100, ReportCount.LINES_READ, 2);
        List<MinuteLedger.Entry> p = l.pending();
        assertThat(p).hasSize(1);
        assertThat(p.get(0).count(ReportCount.LINES_READ)).isEqualTo(7);
        assertThat(p.get(0).count(ReportCount.BYTES_READ)).isEqualTo(50);
        l.acknowledge(p);
        assertThat(l.pending()).isEmpty();
        l.add("web", 100, ReportCount.LINES_ACKED, 7);
        assertThat(l.pending()).singleElement().satisfies(e -> {
            assertThat(e.count(ReportCount.LINES_READ)).isEqualTo(7);
            assertThat(e.count(ReportCount.LINES_ACKED)).isEqualTo(7);
        });
    }

    @Test
    void anAcknowledgementOfAnOlderStateLeavesTheNewerOnePending() {
        MinuteLedger l = new MinuteLedger(10, 1000);
        l.add("web", 100, ReportCount.LINES_READ, 1);
        List<MinuteLedger.Entry> sent = l.pending();
        l.add("web", 100, ReportCount.LINES_READ, 1); // while the push was on its way
        l.acknowledge(sent);
        assertThat(l.pending()).singleElement().satisfies(e -> assertThat(e.count(ReportCount.LINES_READ)).isEqualTo(2));
    }

    @Test
    void evictedUnsentMinutesAreCountedAndLaterAddsToThemRefused() {
        MinuteLedger l = new MinuteLedger(3, 1000);
        l.add("web", 100, ReportCount.LINES_READ, 1);
        l.add("web", 101, ReportCount.LINES_READ, 1);
        l.acknowledge(l.pending().subList(1, 2));
        l.evict(104); // window 102..104
        assertThat(l.stats().minutesDropped()).isEqualTo(1);
        assertThat(l.stats().cells()).isZero();
        assertThat(l.add("web", 101, ReportCount.LINES_ACKED, 1)).isFalse();
        assertThat(l.stats().refusedOld()).isEqualTo(1);
        assertThat(l.add("web", 102, ReportCount.LINES_ACKED, 1)).isTrue();
    }

    @Test
    void taskIdsControlRefusesAndCellsBeyondTheBoundAreRefusedAndCounted() {
        MinuteLedger l = new MinuteLedger(10, 2);
        assertThat(l.add("a/b", 1, ReportCount.LINES_READ, 1)).isFalse();
        assertThat(l.add("", 1, ReportCount.LINES_READ, 1)).isFalse();
        assertThat(l.add("t1", 1, ReportCount.LINES_READ, 1)).isTrue();
        assertThat(l.add("t2", 1, ReportCount.LINES_READ, 1)).isTrue();
        assertThat(l.add("t3", 1, ReportCount.LINES_READ, 1)).isFalse();
        assertThat(l.add("t1", 1, ReportCount.LINES_READ, 1)).isTrue(); // an existing cell still counts
        assertThat(l.stats().refusedTaskId()).isEqualTo(2);
        assertThat(l.stats().refusedFull()).isEqualTo(1);
    }

    @Test
    void reasonsAreBoundedPerCell() {
        MinuteLedger l = new MinuteLedger(10, 100);
        for (int i = 0; i < MinuteLedger.MAX_REASONS + 5; i++) {
            l.addReason("web", 1, ReasonKind.REFUSED, "R" + i, 1);
        }
        l.addReason("web", 1, ReasonKind.DROPPED, "bad reason!", 2);
        MinuteLedger.Entry e = l.pending().get(0);
        Map<String, Long> refused = e.reasons().get(ReasonKind.REFUSED.ordinal());
        assertThat(refused).hasSize(MinuteLedger.MAX_REASONS + 1);
        assertThat(refused.get(MinuteLedger.OTHER_REASON)).isEqualTo(5);
        assertThat(e.reasons().get(ReasonKind.DROPPED.ordinal())).containsEntry(MinuteLedger.OTHER_REASON, 2L);
    }

    @Test
    void zeroGaugesMakeNoCellUnlessTheyFellToZero() {
        MinuteLedger l = new MinuteLedger(10, 100);
        l.gauges("web", 1, 0, 0);
        assertThat(l.pending()).isEmpty();
        l.gauges("web", 1, 500, 20);
        l.gauges("web", 2, 0, 0);
        l.gauges("web", 3, 0, 0);
        List<MinuteLedger.Entry> p = l.pending();
        assertThat(p).extracting(MinuteLedger.Entry::minute).containsExactly(1L, 2L);
        assertThat(p.get(0).count(ReportCount.BACKLOG_BYTES)).isEqualTo(500);
        assertThat(p.get(1).count(ReportCount.BACKLOG_BYTES)).isZero();
    }

    @Test
    void bodiesAreSplitBySizeAndListOnlyNonZeroCounts() {
        MinuteLedger l = new MinuteLedger(10, 100);
        for (int m = 0; m < 5; m++) {
            l.add("web", 100 + m, ReportCount.LINES_READ, m + 1);
        }
        l.addReason("web", 100, ReasonKind.DROPPED, "overLongLine", 3);
        List<ReportBody.Chunk> chunks = ReportBody.chunks(ReportSource.AGENT, "agent-1", l.pending(), 200, 1000);
        assertThat(chunks.size()).isGreaterThan(1);
        assertThat(chunks.stream().mapToInt(c -> c.entries().size()).sum()).isEqualTo(5);
        String first = new String(chunks.get(0).json(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(first).startsWith("{\"source\":{\"kind\":\"agent\",\"id\":\"agent-1\"},\"minutes\":[")
                .contains("{\"minute\":100,\"task\":\"web\",\"counts\":{\"linesRead\":1,\"droppedByReason\":{\"overLongLine\":3}}}")
                .doesNotContain("bytesRead");
        assertThat(ReportBody.chunks(ReportSource.AGENT, "a", l.pending(), 1_000_000, 2)).hasSize(3);
        assertThat(ReportBody.string("a\"b\\c\n")).isEqualTo("\"a\\\"b\\\\c\\u000a\"");
    }

    @Test
    void aCountTakenBackBelowZeroIsSentAsZero() {
        MinuteLedger l = new MinuteLedger(10, 100);
        l.add("web", 7, ReportCount.LINES_READ, -5, ReportCount.BYTES_READ, -500);
        l.add("web", 7, ReportCount.LINES_ACKED, 1);
        String body = new String(ReportBody.chunks(ReportSource.AGENT, "a", l.pending(), 10_000, 10).get(0).json(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(body).contains("\"counts\":{\"linesAcked\":1}");
    }
}
