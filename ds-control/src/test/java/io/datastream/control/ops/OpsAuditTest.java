package io.datastream.control.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.control.ops.audit.AuditReport;
import io.datastream.control.ops.audit.AuditStatus;
import io.datastream.control.ops.audit.AuditWindow;
import io.datastream.control.ops.audit.Auditor;
import io.datastream.control.ops.store.Counter;
import io.datastream.control.ops.store.Counts;
import io.datastream.control.ops.store.OpsStore;
import io.datastream.control.ops.store.Report;
import io.datastream.control.ops.store.StoreSettings;
import io.datastream.control.ops.store.Tier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit's verdicts over a real store, with a manual clock. */
class OpsAuditTest {
    static final long T0 = 29_433_600;

    @TempDir
    Path dir;

    void tiers(OpsStore store, long minute, long read, long dropped, long acked, long kafka, long committed, long dups) throws Exception {
        store.ingest(new Report(Tier.AGENT, "a1", List.of(new Report.Minute(minute, "t", Counts.builder().set(Counter.LINES_READ, read)
                .set(Counter.LINES_DROPPED, dropped).dropped("overLongLine", dropped).set(Counter.LINES_ACKED, acked).build()))));
        store.ingest(new Report(Tier.ROUTER, "r1", List.of(new Report.Minute(minute, "t",
                Counts.builder().set(Counter.LINES_TO_KAFKA, kafka).build()))));
        store.ingest(new Report(Tier.SINK, "sink", List.of(new Report.Minute(minute, "t",
                Counts.builder().set(Counter.LINES_COMMITTED, committed).set(Counter.DUPLICATES_DROPPED, dups).build()))))
                .written().get(10, TimeUnit.SECONDS);
    }

    @Test
    void eachWindowIsJudgedOnceFinalAndDropsAreNotLosses() throws Exception {
        ManualClock clock = ManualClock.atMinute(T0 + 10);
        try (OpsStore store = OpsStore.open(StoreSettings.at(dir.resolve("m.db")), clock)) {
            tiers(store, T0, 100, 3, 100, 100, 100, 7);     // ok, with 3 counted drops and 7 re-sent lines dropped by the sink
            tiers(store, T0 + 1, 100, 0, 100, 100, 90, 0);  // lost 10 at the sink
            tiers(store, T0 + 2, 100, 0, 100, 104, 104, 0); // duplicated 4
            tiers(store, T0 + 8, 100, 0, 60, 60, 50, 0);    // young: in flight
            Auditor auditor = new Auditor(store, Duration.ofMinutes(5).toMillis());
            AuditReport r = auditor.audit("t", T0, T0 + 10);
            assertThat(r.windows()).extracting(AuditWindow::minute).containsExactly(T0, T0 + 1, T0 + 2, T0 + 8);
            assertThat(r.windows()).extracting(AuditWindow::status)
                    .containsExactly(AuditStatus.OK, AuditStatus.LOST, AuditStatus.DUPLICATED, AuditStatus.IN_FLIGHT);
            assertThat(r.windows().get(0).dropped()).isEqualTo(3);
            assertThat(r.windows().get(0).duplicatesDropped()).isEqualTo(7);
            assertThat(r.windows().get(1).missing()).isEqualTo(10);
            assertThat(r.windows().get(2).extra()).isEqualTo(4);
            assertThat(r.windows().get(3).missing()).as("in flight is not judged").isZero();
            assertThat(r.total().status()).isEqualTo(AuditStatus.LOST);
            assertThat(r.total().read()).isEqualTo(400);
            assertThat(r.total().missing()).isEqualTo(10);
            assertThat(r.total().extra()).isEqualTo(4);
            assertThat(r.droppedByReason()).isEqualTo(Map.of("overLongLine", 3L));

            // the young window becomes final; when the late lines arrive it is ok
            tiers(store, T0 + 8, 100, 0, 100, 100, 100, 0);
            clock.advance(Duration.ofMinutes(4));
            AuditWindow later = auditor.audit("t", T0 + 8, T0 + 9).windows().get(0);
            assertThat(later.status()).isEqualTo(AuditStatus.OK);
        }
    }

    @Test
    void kafkasSurplusThatTheSinkDroppedAsDuplicatesIsResentNotDuplicated() throws Exception {
        ManualClock clock = ManualClock.atMinute(T0 + 10);
        try (OpsStore store = OpsStore.open(StoreSettings.at(dir.resolve("m.db")), clock)) {
            tiers(store, T0, 100, 0, 100, 100, 100, 0);      // ok
            tiers(store, T0 + 1, 100, 0, 100, 104, 100, 4);  // 4 re-sent copies in Kafka, dropped by the sink
            tiers(store, T0 + 2, 100, 0, 100, 104, 100, 3);  // one copy more in Kafka than the sink dropped
            tiers(store, T0 + 3, 100, 0, 100, 104, 104, 0);  // doubled in the output
            Auditor auditor = new Auditor(store, Duration.ofMinutes(5).toMillis());
            AuditReport r = auditor.audit("t", T0, T0 + 4);
            assertThat(r.windows()).extracting(AuditWindow::status).containsExactly(AuditStatus.OK, AuditStatus.RESENT,
                    AuditStatus.DUPLICATED, AuditStatus.DUPLICATED);
            assertThat(r.windows().get(1).extra()).as("the re-sent copies other Kafka consumers see").isEqualTo(4);
            assertThat(r.windows().get(1).missing()).isZero();
            assertThat(r.total().status()).isEqualTo(AuditStatus.DUPLICATED);
            assertThat(auditor.audit("t", T0, T0 + 2).total().status()).as("ok and resent minutes").isEqualTo(AuditStatus.RESENT);
            assertThat(AuditStatus.RESENT.wireName()).isEqualTo("resent");
        }
    }

    @Test
    void aTierThatNeverReportedIsLeftOutRatherThanCountedAsZero() throws Exception {
        ManualClock clock = ManualClock.atMinute(T0 + 10);
        try (OpsStore store = OpsStore.open(StoreSettings.at(dir.resolve("r.db")), clock)) {
            store.ingest(new Report(Tier.AGENT, "a1", List.of(new Report.Minute(T0, "t", Counts.builder().set(Counter.LINES_READ, 50)
                    .set(Counter.LINES_ACKED, 50).build()))));
            store.ingest(new Report(Tier.SINK, "sink", List.of(new Report.Minute(T0, "t",
                    Counts.builder().set(Counter.LINES_COMMITTED, 50).build())))).written().get(10, TimeUnit.SECONDS);
            AuditReport r = new Auditor(store, 60_000).audit("t", T0, T0 + 5);
            assertThat(r.reporting()).containsExactlyInAnyOrder(Tier.AGENT, Tier.SINK);
            assertThat(r.windows().get(0).status()).as("no router reports at all: not a loss").isEqualTo(AuditStatus.OK);

            store.ingest(new Report(Tier.SINK, "sink", List.of(new Report.Minute(T0 + 1, "other",
                    Counts.builder().set(Counter.LINES_COMMITTED, 5).build())))).written().get(10, TimeUnit.SECONDS);
            AuditReport noAgents = new Auditor(store, 60_000).audit("other", T0, T0 + 5);
            assertThat(noAgents.windows().get(0).status()).isEqualTo(AuditStatus.NO_AGENT_REPORTS);
            assertThat(noAgents.total().status()).isEqualTo(AuditStatus.NO_AGENT_REPORTS);
        }
    }

    @Test
    void aWindowBecomesFinalExactlyAtTheFinalityDelay() throws Exception {
        ManualClock clock = ManualClock.atMinute(T0 + 1);
        try (OpsStore store = OpsStore.open(StoreSettings.at(dir.resolve("f.db")), clock)) {
            tiers(store, T0, 5, 0, 5, 5, 5, 0);
            Auditor auditor = new Auditor(store, 60_000);
            assertThat(auditor.audit("t", T0, T0 + 1).windows().get(0).status()).isEqualTo(AuditStatus.IN_FLIGHT);
            clock.advance(Duration.ofMillis(59_999));
            assertThat(auditor.audit("t", T0, T0 + 1).windows().get(0).status()).isEqualTo(AuditStatus.IN_FLIGHT);
            clock.advance(Duration.ofMillis(1));
            assertThat(auditor.audit("t", T0, T0 + 1).windows().get(0).status()).isEqualTo(AuditStatus.OK);
            assertThat(auditor.audit("t", T0, T0 + 1).total().status()).isEqualTo(AuditStatus.OK);
        }
    }
}
