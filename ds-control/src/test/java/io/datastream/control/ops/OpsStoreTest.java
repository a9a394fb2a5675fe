package io.datastream.control.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datastream.control.ops.store.Counter;
import io.datastream.control.ops.store.Counts;
import io.datastream.control.ops.store.Ingest;
import io.datastream.control.ops.store.OpsStore;
import io.datastream.control.ops.store.Report;
import io.datastream.control.ops.store.Schema;
import io.datastream.control.ops.store.Series;
import io.datastream.control.ops.store.Step;
import io.datastream.control.ops.store.StoreException;
import io.datastream.control.ops.store.StoreSettings;
import io.datastream.control.ops.store.Tier;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The counts store on a real SQLite file, with a manual clock. */
class OpsStoreTest {
    static final long NOW = 29_433_600; // an epoch minute (2025-12-18)

    @TempDir
    Path dir;

    static Counts agent(long read, long acked, long backlog, long lag) {
        return Counts.builder().set(Counter.LINES_READ, read).set(Counter.BYTES_READ, read * 100).set(Counter.LINES_ACKED, acked)
                .set(Counter.BACKLOG_BYTES, backlog).set(Counter.LAG_MS, lag).build();
    }

    static Report report(Tier tier, String source, long minute, String task, Counts c) {
        return new Report(tier, source, List.of(new Report.Minute(minute, task, c)));
    }

    OpsStore open(ManualClock clock) {
        return OpsStore.open(StoreSettings.at(dir.resolve("sub/metrics.db")), clock);
    }

    @Test
    void aFreshDatabaseHasTheSchemaVersionAfterAReopen() throws Exception {
        ManualClock clock = ManualClock.atMinute(NOW);
        try (OpsStore store = open(clock)) {
            store.ingest(report(Tier.AGENT, "a1", NOW, "t", agent(5, 5, 0, 0))).written().get(10, TimeUnit.SECONDS);
        }
        try (OpsStore store = open(clock)) {
            assertThat(store.<Integer>read(Schema::version)).isEqualTo(Schema.VERSION);
            assertThat(store.<String>read(c -> pragma(c, "journal_mode"))).isEqualTo("wal");
            assertThat(store.series("t", null, Step.MINUTE, NOW, NOW + 1).at(Tier.AGENT, NOW).get(Counter.LINES_READ)).isEqualTo(5);
        }
    }

    /**
     * A database written by schema version 1 (src/test/resources/.../metrics-v1.db, made once and
     * never rewritten) opens, is migrated to version 2, and reads the same.
     */
    @Test
    void theGoldenVersion1DatabaseOpensAndReads() throws Exception {
        Path copy = dir.resolve("v1/metrics.db");
        java.nio.file.Files.createDirectories(copy.getParent());
        try (var in = OpsStoreTest.class.getResourceAsStream("/io/datastream/control/ops/metrics-v1.db")) {
            java.nio.file.Files.copy(in, copy);
        }
        long t0 = 29_433_600;
        try (OpsStore store = OpsStore.open(StoreSettings.at(copy), ManualClock.atMinute(t0 + 10))) {
            assertThat(store.<Integer>read(Schema::version)).isEqualTo(Schema.VERSION);
            Series s = store.series("golden", null, Step.MINUTE, t0, t0 + 1);
            assertThat(s.at(Tier.AGENT, t0).get(Counter.LINES_READ)).isEqualTo(100);
            assertThat(s.at(Tier.AGENT, t0).get(Counter.BACKLOG_BYTES)).isEqualTo(4096);
            assertThat(s.at(Tier.AGENT, t0).droppedByReason()).containsEntry("overLongLine", 2L);
            assertThat(s.at(Tier.ROUTER, t0).get(Counter.LINES_TO_KAFKA)).isEqualTo(100);
            assertThat(s.at(Tier.SINK, t0).get(Counter.LINES_COMMITTED)).isEqualTo(100);
            // and it takes new writes
            store.ingest(report(Tier.AGENT, "agent-2", t0, "golden", agent(1, 1, 0, 0))).written().get(10, TimeUnit.SECONDS);
            assertThat(store.series("golden", null, Step.MINUTE, t0, t0 + 1).at(Tier.AGENT, t0).get(Counter.LINES_READ)).isEqualTo(101);
            // version 2's router intake counters: 0 in the old rows, written and read in new ones
            assertThat(s.at(Tier.ROUTER, t0).get(Counter.LINES_IN)).isZero();
            Counts in = Counts.builder().set(Counter.BATCHES_IN, 3).set(Counter.LINES_IN, 30).set(Counter.BYTES_IN, 3000).build();
            store.ingest(new Report(Tier.ROUTER, "router-2", List.of(new Report.Minute(t0, "golden", in)))).written()
                    .get(10, TimeUnit.SECONDS);
            Series after = store.series("golden", null, Step.MINUTE, t0, t0 + 1);
            assertThat(after.at(Tier.ROUTER, t0).get(Counter.BATCHES_IN)).isEqualTo(3);
            assertThat(after.at(Tier.ROUTER, t0).get(Counter.BYTES_IN)).isEqualTo(3000);
            assertThat(after.at(Tier.ROUTER, t0).get(Counter.LINES_TO_KAFKA)).isEqualTo(100);
        }
    }

    /**
     * The golden version 2 database (metrics-v2.db: metrics-v1.db migrated by version 2's steps,
     * plus a router row with intake counters) opens, is migrated to version 3, reads the same, and
     * takes the sink's latency.
     */
    @Test
    void theGoldenVersion2DatabaseOpensReadsAndTakesLatencies() throws Exception {
        Path copy = dir.resolve("v2/metrics.db");
        java.nio.file.Files.createDirectories(copy.getParent());
        try (var in = OpsStoreTest.class.getResourceAsStream("/io/datastream/control/ops/metrics-v2.db")) {
            java.nio.file.Files.copy(in, copy);
        }
        long t0 = 29_433_600;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy)) {
            assertThat(Schema.version(c)).isEqualTo(2);
        }
        try (OpsStore store = OpsStore.open(StoreSettings.at(copy), ManualClock.atMinute(t0 + 10))) {
            assertThat(store.<Integer>read(Schema::version)).isEqualTo(3);
            Series s = store.series("golden", null, Step.MINUTE, t0, t0 + 1);
            assertThat(s.at(Tier.AGENT, t0).get(Counter.LINES_READ)).isEqualTo(100);
            assertThat(s.at(Tier.ROUTER, t0).get(Counter.LINES_IN)).isEqualTo(40);
            assertThat(s.at(Tier.SINK, t0).get(Counter.LINES_COMMITTED)).isEqualTo(100);
            assertThat(s.at(Tier.SINK, t0).get(Counter.LATENCY_MAX_MS)).isZero();
            assertThat(s.at(Tier.ROUTER, t0).get(Counter.EVENTS_ACCEPTED)).isZero();
            assertThat(s.at(Tier.SINK, t0).latency().isEmpty()).isTrue();
            store.ingest(report(Tier.SINK, "sink-2", t0, "golden", sink(10, 2_000, 30, 10))).written().get(10, TimeUnit.SECONDS);
            Counts after = store.series("golden", null, Step.MINUTE, t0, t0 + 1).at(Tier.SINK, t0);
            assertThat(after.get(Counter.LINES_COMMITTED)).isEqualTo(110);
            assertThat(after.latency().count()).isEqualTo(10);
        }
    }

    /** A sink minute: {@code lines} committed, their latencies in bucket {@code bucket}, the largest {@code maxMs}. */
    static Counts sink(long lines, long maxMs, int bucket, long inBucket) {
        return Counts.builder().set(Counter.LINES_COMMITTED, lines).set(Counter.LATENCY_MAX_MS, maxMs).latency(bucket, inBucket).build();
    }

    /**
     * Latency histograms add up bucket by bucket over sources and over the minutes of an hour, a
     * re-sent minute replaces its source's histogram, and the roll-up to hours keeps them.
     */
    @Test
    void latencyHistogramsAddUpOverSourcesAndTimeAndSurviveTheRollUp() throws Exception {
        ManualClock clock = ManualClock.atMinute(NOW);
        long hourStart = Math.floorDiv(NOW, 60) * 60 - 120;
        try (OpsStore store = open(clock)) {
            int fast = 40; // 2048..2559 ms
            int slow = 48; // 8192..10239 ms
            assertThat(io.datastream.control.ops.store.LatencyBuckets.upperBound(fast)).isEqualTo(2_559);
            assertThat(io.datastream.control.ops.store.LatencyBuckets.upperBound(slow)).isEqualTo(10_239);
            store.ingest(report(Tier.SINK, "sink-1", hourStart, "t", sink(99, 2_100, fast, 99)));
            store.ingest(report(Tier.SINK, "sink-2", hourStart, "t", sink(1, 9_000, slow, 1)));
            store.ingest(report(Tier.SINK, "sink-1", hourStart + 1, "t", sink(50, 2_000, fast, 50)));
            store.ingest(report(Tier.SINK, "sink-1", hourStart + 1, "t", sink(100, 2_000, fast, 100))); // re-sent, corrected
            store.flush().get(10, TimeUnit.SECONDS);
            Series minutes = store.series("t", null, Step.MINUTE, hourStart, hourStart + 2);
            Counts first = minutes.at(Tier.SINK, hourStart);
            assertThat(first.latency().count()).isEqualTo(100);
            assertThat(first.get(Counter.LATENCY_MAX_MS)).isEqualTo(9_000);
            assertThat(first.latency().percentile(0.5, 9_000)).isEqualTo(2_559);
            assertThat(first.latency().percentile(0.99, 9_000)).isEqualTo(2_559);
            assertThat(first.latency().percentile(1.0, 9_000)).isEqualTo(9_000);
            assertThat(first.toJson()).extractingByKey("latency").isEqualTo(java.util.Map.of("count", 100L, "p50Ms", 2_559L,
                    "p99Ms", 2_559L, "maxMs", 9_000L));
            assertThat(minutes.at(Tier.SINK, hourStart + 1).latency().count()).isEqualTo(100);
            assertThat(store.series("t", "sink-2", Step.MINUTE, hourStart, hourStart + 2).at(Tier.SINK, hourStart).latency().count())
                    .isEqualTo(1);
            assertThat(store.series(null, null, Step.MINUTE, hourStart, hourStart + 2).at(Tier.SINK, hourStart).latency().count())
                    .as("every task").isEqualTo(100);
            Counts hour = store.series("t", null, Step.HOUR, hourStart, hourStart + 60).at(Tier.SINK, hourStart);
            assertThat(hour.latency().count()).isEqualTo(200);

            clock.advance(Duration.ofDays(7).plusHours(1));
            store.maintain().get(10, TimeUnit.SECONDS);
            assertThat(store.series("t", null, Step.MINUTE, hourStart, hourStart + 60).of(Tier.SINK)).isEmpty();
            assertThat(store.series("t", null, Step.HOUR, hourStart, hourStart + 60).at(Tier.SINK, hourStart)).isEqualTo(hour);
            clock.advance(Duration.ofDays(90));
            store.maintain().get(10, TimeUnit.SECONDS);
            assertThat(store.<Long>read(c -> {
                try (Statement st = c.createStatement(); ResultSet r = st.executeQuery("SELECT count(*) FROM hour_latency")) {
                    return r.next() ? r.getLong(1) : -1L;
                }
            })).isZero();
        }
    }

    /** The HTTP source's events (schema 3): counters and the by-reason and by-sink maps, summed over routers and replaced on re-send. */
    @Test
    void httpEventsAreStoredPerTaskWithTheirRefusalsAndSinks() throws Exception {
        try (OpsStore store = open(ManualClock.atMinute(NOW))) {
            io.datastream.control.ops.store.ReasonKind refused = io.datastream.control.ops.store.ReasonKind.EVENTS_REFUSED;
            io.datastream.control.ops.store.ReasonKind written = io.datastream.control.ops.store.ReasonKind.EVENTS_WRITTEN;
            store.ingest(report(Tier.ROUTER, "r1", NOW, "events", Counts.builder().set(Counter.EVENTS_ACCEPTED, 10)
                    .set(Counter.EVENTS_REFUSED, 4).reason(refused, "channel_full", 4).reason(written, "kafka-events", 9)
                    .reason(written, "archive", 10).build()));
            store.ingest(report(Tier.ROUTER, "r2", NOW, "events", Counts.builder().set(Counter.EVENTS_ACCEPTED, 5)
                    .reason(written, "kafka-events", 5).build()));
            store.ingest(report(Tier.ROUTER, "r1", NOW, "events", Counts.builder().set(Counter.EVENTS_ACCEPTED, 10)
                    .set(Counter.EVENTS_REFUSED, 4).reason(refused, "channel_full", 4).reason(written, "kafka-events", 10)
                    .reason(written, "archive", 10).build())); // re-sent: kafka-events caught up
            store.flush().get(10, TimeUnit.SECONDS);
            Counts c = store.series("events", null, Step.MINUTE, NOW, NOW + 1).at(Tier.ROUTER, NOW);
            assertThat(c.get(Counter.EVENTS_ACCEPTED)).isEqualTo(15);
            assertThat(c.get(Counter.EVENTS_REFUSED)).isEqualTo(4);
            assertThat(c.reasons(refused)).isEqualTo(java.util.Map.of("channel_full", 4L));
            assertThat(c.reasons(written)).isEqualTo(java.util.Map.of("kafka-events", 15L, "archive", 10L));
            assertThat(c.toJson()).containsEntry("eventsWrittenBySink", new java.util.TreeMap<>(java.util.Map.of("kafka-events", 15L,
                    "archive", 10L)));
        }
    }

    @Test
    void aNewerSchemaIsRefused() throws Exception {
        open(ManualClock.atMinute(NOW)).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sub/metrics.db"));
             Statement s = c.createStatement()) {
            s.execute("UPDATE schema_version SET version = 99");
        }
        assertThatThrownBy(() -> open(ManualClock.atMinute(NOW))).isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 99");
    }

    @Test
    void aResentReportReplacesAndTheTaskTotalFollows() throws Exception {
        try (OpsStore store = open(ManualClock.atMinute(NOW))) {
            store.ingest(report(Tier.AGENT, "a1", NOW - 1, "t", agent(10, 8, 500, 2000)));
            store.ingest(report(Tier.AGENT, "a2", NOW - 1, "t", agent(5, 5, 100, 300)));
            store.ingest(report(Tier.AGENT, "a1", NOW - 1, "t", agent(10, 8, 500, 2000)));
            store.ingest(report(Tier.ROUTER, "r1", NOW - 1, "t", Counts.builder().set(Counter.LINES_TO_KAFKA, 13).build()));
            store.flush().get(10, TimeUnit.SECONDS);
            Series s = store.series("t", null, Step.MINUTE, NOW - 10, NOW + 1);
            Counts a = s.at(Tier.AGENT, NOW - 1);
            assertThat(a.get(Counter.LINES_READ)).isEqualTo(15);
            assertThat(a.get(Counter.LINES_ACKED)).isEqualTo(13);
            assertThat(a.get(Counter.BACKLOG_BYTES)).as("backlog adds up over agents").isEqualTo(600);
            assertThat(a.get(Counter.LAG_MS)).as("lag is the largest").isEqualTo(2000);
            assertThat(s.at(Tier.ROUTER, NOW - 1).get(Counter.LINES_TO_KAFKA)).isEqualTo(13);

            // a corrected report corrects the total
            store.ingest(report(Tier.AGENT, "a1", NOW - 1, "t", agent(12, 12, 0, 0))).written().get(10, TimeUnit.SECONDS);
            Counts fixed = store.series("t", null, Step.MINUTE, NOW - 10, NOW + 1).at(Tier.AGENT, NOW - 1);
            assertThat(fixed.get(Counter.LINES_READ)).isEqualTo(17);
            assertThat(fixed.get(Counter.LINES_ACKED)).isEqualTo(17);
            assertThat(fixed.get(Counter.BACKLOG_BYTES)).isEqualTo(100);

            Series one = store.series("t", "a2", Step.MINUTE, NOW - 10, NOW + 1);
            assertThat(one.at(Tier.AGENT, NOW - 1).get(Counter.LINES_READ)).isEqualTo(5);
        }
    }

    @Test
    void theSeriesOfEveryTaskSumsTheTasksAndTakesTheLargestLag() throws Exception {
        try (OpsStore store = open(ManualClock.atMinute(NOW))) {
            store.ingest(report(Tier.AGENT, "a1", NOW - 2, "t1", agent(10, 10, 500, 2000)));
            store.ingest(report(Tier.AGENT, "a2", NOW - 2, "t2", agent(5, 4, 100, 300)));
            store.ingest(report(Tier.AGENT, "a1", NOW - 1, "t1", agent(7, 7, 0, 0)));
            store.ingest(report(Tier.ROUTER, "r1", NOW - 2, "t2", Counts.builder().set(Counter.LINES_TO_KAFKA, 4).build()));
            store.ingest(report(Tier.AGENT, "a1", NOW - 30, "old", agent(1000, 1000, 0, 0)));
            store.ingest(report(Tier.AGENT, "a1", NOW - 2, "t3", Counts.builder().set(Counter.LINES_DROPPED, 2)
                    .dropped("overLongLine", 2).build())).written().get(10, TimeUnit.SECONDS);

            Series all = store.series(null, null, Step.MINUTE, NOW - 10, NOW + 1);
            assertThat(all.task()).isNull();
            Counts m2 = all.at(Tier.AGENT, NOW - 2);
            assertThat(m2.get(Counter.LINES_READ)).isEqualTo(15);
            assertThat(m2.get(Counter.LINES_ACKED)).isEqualTo(14);
            assertThat(m2.get(Counter.BACKLOG_BYTES)).as("backlog adds up over tasks").isEqualTo(600);
            assertThat(m2.get(Counter.LAG_MS)).as("lag is the largest").isEqualTo(2000);
            assertThat(m2.droppedByReason()).containsEntry("overLongLine", 2L);
            assertThat(all.at(Tier.AGENT, NOW - 1).get(Counter.LINES_READ)).isEqualTo(7);
            assertThat(all.at(Tier.ROUTER, NOW - 2).get(Counter.LINES_TO_KAFKA)).isEqualTo(4);
            assertThat(all.of(Tier.AGENT)).as("outside the range").doesNotContainKey(NOW - 30);

            Series hourly = store.series(null, null, Step.HOUR, NOW - 60, NOW + 1);
            assertThat(hourly.of(Tier.AGENT).values().stream().mapToLong(c -> c.get(Counter.LINES_READ)).sum())
                    .isEqualTo(15 + 7 + 1000);
        }
    }

    @Test
    void reasonsAreReplacedToo() throws Exception {
        try (OpsStore store = open(ManualClock.atMinute(NOW))) {
            Counts first = Counts.builder().set(Counter.LINES_DROPPED, 3).dropped("overLongLine", 2).dropped("compressed", 1).build();
            Counts again = Counts.builder().set(Counter.LINES_DROPPED, 2).dropped("overLongLine", 2).build();
            store.ingest(report(Tier.AGENT, "a1", NOW, "t", first));
            store.ingest(report(Tier.AGENT, "a1", NOW, "t", again));
            store.ingest(report(Tier.AGENT, "a2", NOW, "t", again)).written().get(10, TimeUnit.SECONDS);
            Counts c = store.series("t", null, Step.MINUTE, NOW, NOW + 1).at(Tier.AGENT, NOW);
            assertThat(c.droppedByReason()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("overLongLine", 4L));
            assertThat(c.get(Counter.LINES_DROPPED)).isEqualTo(4);
        }
    }

    @Test
    void minutesOlderThanRetentionAreRolledUpToHoursAndOldHoursDeleted() throws Exception {
        ManualClock clock = ManualClock.atMinute(NOW);
        long hourStart = Math.floorDiv(NOW, 60) * 60 - 120; // two hours ago, whole hour
        try (OpsStore store = open(clock)) {
            for (int m = 0; m < 60; m++) {
                store.ingest(report(Tier.AGENT, "a1", hourStart + m, "t", agent(1, 1, m, 10L * m)));
                store.ingest(report(Tier.AGENT, "a2", hourStart + m, "t", agent(2, 2, 0, 0)));
            }
            store.flush().get(10, TimeUnit.SECONDS);
            Counts beforeRollup = store.series("t", null, Step.HOUR, hourStart, hourStart + 60).at(Tier.AGENT, hourStart);
            assertThat(beforeRollup.get(Counter.LINES_READ)).isEqualTo(180);

            clock.advance(Duration.ofDays(7).plusHours(1));
            var outcome = store.maintain().get(10, TimeUnit.SECONDS);
            assertThat(outcome.minuteRowsRolledUp()).isPositive();
            assertThat(store.series("t", null, Step.MINUTE, hourStart, hourStart + 60).of(Tier.AGENT)).isEmpty();
            Series hours = store.series("t", null, Step.HOUR, hourStart, hourStart + 60);
            assertThat(hours.at(Tier.AGENT, hourStart)).isEqualTo(beforeRollup);
            assertThat(hours.at(Tier.AGENT, hourStart).get(Counter.LINES_READ)).isEqualTo(180);
            assertThat(hours.at(Tier.AGENT, hourStart).get(Counter.BACKLOG_BYTES)).isEqualTo(59);
            assertThat(store.series("t", "a1", Step.HOUR, hourStart, hourStart + 60).at(Tier.AGENT, hourStart)
                    .get(Counter.LAG_MS)).isEqualTo(590);

            // a report for a minute already past retention is skipped, not added to the hour
            Ingest late = store.ingest(report(Tier.AGENT, "a1", hourStart + 5, "t", agent(100, 100, 0, 0)));
            assertThat(late.skipped()).isEqualTo(1);
            assertThat(late.accepted()).isZero();

            clock.advance(Duration.ofDays(90));
            store.maintain().get(10, TimeUnit.SECONDS);
            assertThat(store.series("t", null, Step.HOUR, hourStart, hourStart + 60).of(Tier.AGENT)).isEmpty();
        }
    }

    @Test
    void aFullQueueDropsAndCountsWithoutBlocking() throws Exception {
        StoreSettings small = new StoreSettings(dir.resolve("q.db"), 7, 90, StoreSettings.DEFAULT_MAX_BYTES, 4);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        try (OpsStore store = OpsStore.open(small, ManualClock.atMinute(NOW))) {
            CompletableFuture<Object> blocker = store.write(c -> {
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            busy.await();
            List<Ingest> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                results.add(store.ingest(report(Tier.AGENT, "a" + i, NOW, "t", agent(1, 1, 0, 0))));
            }
            assertThat(results).extracting(Ingest::outcome).containsExactly(Ingest.Outcome.QUEUED, Ingest.Outcome.QUEUED,
                    Ingest.Outcome.QUEUED, Ingest.Outcome.QUEUED, Ingest.Outcome.QUEUE_FULL, Ingest.Outcome.QUEUE_FULL);
            assertThat(store.droppedReports()).isEqualTo(2);
            release.countDown();
            blocker.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 4; i++) {
                results.get(i).written().get(10, TimeUnit.SECONDS);
            }
            assertThat(store.series("t", null, Step.MINUTE, NOW, NOW + 1).at(Tier.AGENT, NOW).get(Counter.LINES_READ)).isEqualTo(4);
        }
    }

    @Test
    void overMaxBytesTheOldestHourIsDeleted() throws Exception {
        StoreSettings tiny = new StoreSettings(dir.resolve("tiny.db"), 7, 90, 2L << 20, 1024);
        ManualClock clock = ManualClock.atMinute(NOW);
        try (OpsStore store = OpsStore.open(tiny, clock)) {
            long start = NOW - 2 * 1440;
            // about 7 MB of rows over two days: 40 agents, 100 minutes per report
            int sent = 0;
            for (int m = 0; m < 2 * 1440; m += 100) {
                List<Report.Minute> minutes = new ArrayList<>();
                for (int i = m; i < Math.min(m + 100, 2 * 1440); i++) {
                    minutes.add(new Report.Minute(start + i, "t", agent(1, 1, 0, 0)));
                }
                for (int a = 0; a < 40; a++) {
                    assertThat(store.ingest(new Report(Tier.AGENT, "agent-with-a-longish-name-" + a, minutes)).outcome())
                            .isEqualTo(Ingest.Outcome.QUEUED);
                    if (++sent % 500 == 0) {
                        store.flush().get(60, TimeUnit.SECONDS);
                    }
                }
            }
            store.flush().get(60, TimeUnit.SECONDS);
            assertThat(store.usedBytes()).isGreaterThan(2L << 20);
            var outcome = store.maintain().get(60, TimeUnit.SECONDS);
            assertThat(outcome.hoursEvicted()).isPositive();
            assertThat(store.usedBytes()).isLessThanOrEqualTo(2L << 20);
            assertThat(store.series("t", null, Step.MINUTE, start, start + 60).of(Tier.AGENT)).isEmpty();
            assertThat(store.series("t", null, Step.MINUTE, NOW - 60, NOW).of(Tier.AGENT)).hasSize(60);
        }
    }

    private static String pragma(Connection c, String name) throws java.sql.SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA " + name)) {
            r.next();
            return r.getString(1);
        }
    }
}
