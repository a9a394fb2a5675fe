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

    @Test
    void nothingIsHeldWhenReportsAreOff() {
        SinkReports.install(null);
        CommittedCounts c = new CommittedCounts();
        c.add("web", 5, ReportCount.LINES_COMMITTED, 10);
        assertThat(c.keys()).isZero();
    }
}
