package io.datastream.sink.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.protocol.report.MinuteLedger;
import io.datastream.protocol.report.ReportCount;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CommittedCountsTest {
    private MinuteLedger ledger;

    @BeforeEach
    void install() {
        ledger = new MinuteLedger(10_000_000, 1000);
        SinkReports.install(ledger);
    }

    @AfterEach
    void uninstall() {
        SinkReports.install(null);
    }

    private long committed(String task, long minute) {
        List<MinuteLedger.Entry> p = ledger.pending();
        return p.stream().filter(e -> e.task().equals(task) && e.minute() == minute)
                .mapToLong(e -> e.count(ReportCount.LINES_COMMITTED)).sum();
    }

    @Test
    void countsReachTheLedgerOnlyWhenTheirCheckpointCompletes() {
        CommittedCounts c = new CommittedCounts();
        c.add("web", 5, ReportCount.LINES_COMMITTED, 10);
        c.snapshot(1);
        c.add("web", 5, ReportCount.LINES_COMMITTED, 3); // after barrier 1: belongs to checkpoint 2
        assertThat(ledger.pending()).isEmpty();
        c.complete(1);
        assertThat(committed("web", 5)).isEqualTo(10);
        c.snapshot(2);
        c.complete(2);
        assertThat(committed("web", 5)).isEqualTo(13);
        assertThat(c.keys()).isZero();
    }

    @Test
    void anAbortedCheckpointsCountsAreCommittedWithTheNextCompletedOne() {
        CommittedCounts c = new CommittedCounts();
        c.add("web", 5, ReportCount.LINES_COMMITTED, 10);
        c.snapshot(1); // never completes
        c.add("web", 6, ReportCount.DUPLICATES_DROPPED, 2);
        c.snapshot(2);
        c.complete(2);
        assertThat(committed("web", 5)).isEqualTo(10);
        assertThat(ledger.pending()).anySatisfy(e -> {
            assertThat(e.minute()).isEqualTo(6);
            assertThat(e.count(ReportCount.DUPLICATES_DROPPED)).isEqualTo(2);
        });
    }

    @Test
    void countsOfANewOperatorAfterARestoreStartAfresh() {
        CommittedCounts before = new CommittedCounts();
        before.add("web", 5, ReportCount.LINES_COMMITTED, 10);
        before.snapshot(1);
        before.complete(1);
        before.add("web", 5, ReportCount.LINES_COMMITTED, 7); // processed, then the job failed: never committed
        CommittedCounts after = new CommittedCounts(); // restored from checkpoint 1: the 7 lines are processed again
        after.add("web", 5, ReportCount.LINES_COMMITTED, 7);
        after.snapshot(2);
        after.complete(2);
        assertThat(committed("web", 5)).isEqualTo(17);
    }

    /**
     * Committed lines carry their read time; when the checkpoint completes each gets the latency
     * (completion - read time, rounded up to the read-time slot): count = the lines committed of the
     * minute, p50 and p99 from the histogram, aborted checkpoints' lines measured at the next completion.
     */
    @Test
    void committedLinesGetTheirReadToCommitLatencyWhenTheCheckpointCompletes() {
        long minute = 29_433_600;
        long t0 = minute * 60_000;
        long[] now = {0};
        CommittedCounts c = new CommittedCounts(() -> now[0]);
        c.committed("web", t0 + 1_000, 90);      // read at second 1
        c.committed("web", t0 + 30_000, 10);     // read at second 30
        c.snapshot(1);
        c.committed("web", t0 + 59_999, 5);      // the next checkpoint's, same read minute
        c.snapshot(2);
        now[0] = t0 + 32_000;
        c.complete(1);
        MinuteLedger.Entry e = ledger.pending().get(0);
        assertThat(e.count(ReportCount.LINES_COMMITTED)).isEqualTo(100);
        assertThat(e.latency().count()).as("one latency per committed line").isEqualTo(100);
        assertThat(e.latency().percentile(0.05)).as("the 10 lines read at second 30").isBetween(2_000L, 2_500L);
        assertThat(e.latency().percentile(0.5)).as("the 90 read at second 1 (capped by the exact max)").isEqualTo(31_000);
        assertThat(e.latency().percentile(0.99)).isEqualTo(31_000);
        assertThat(e.latency().max()).isEqualTo(31_000);
        now[0] = t0 + 61_000;
        c.complete(2);
        e = ledger.pending().get(0);
        assertThat(e.count(ReportCount.LINES_COMMITTED)).isEqualTo(105);
        assertThat(e.latency().count()).isEqualTo(105);
        // read at 59.999 s, in the slot starting at 59.750 s: 1.250 s, rounded up by less than a slot (and to its bucket's bound)
        assertThat(e.latency().count(io.datastream.protocol.report.LatencyHistogram.bucketOf(1_250))).isEqualTo(5);
        assertThat(e.latency().percentile(0.01)).isBetween(1_250L, 1_250L * 5 / 4);
        assertThat(c.keys()).isZero();
    }

    @Test
    void aSinkClockBehindTheAgentsCountsAsZeroLatencyNotNegative() {
        long t0 = 29_433_600L * 60_000;
        CommittedCounts c = new CommittedCounts(() -> t0 - 5_000);
        c.committed("web", t0 + 10_000, 3);
        c.snapshot(1);
        c.complete(1);
        assertThat(ledger.pending().get(0).latency().max()).isZero();
        assertThat(ledger.pending().get(0).latency().count()).isEqualTo(3);
    }

    @Test
    void nothingIsHeldWhenReportsAreOff() {
        SinkReports.install(null);
        CommittedCounts c = new CommittedCounts();
        c.add("web", 5, ReportCount.LINES_COMMITTED, 10);
        assertThat(c.keys()).isZero();
    }
}
