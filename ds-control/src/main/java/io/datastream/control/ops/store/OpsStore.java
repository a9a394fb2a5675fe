package io.datastream.control.ops.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-minute counts store: one SQLite file, one writer thread, a few read connections.
 *
 * <pre>
 * try (OpsStore store = OpsStore.open(StoreSettings.at(Path.of("data/control/metrics.db")), Clock.systemUTC())) {
 *     store.ingest(new Report(Tier.AGENT, "agent-1", List.of(new Report.Minute(minute, "nginx", counts))));
 *     Series s = store.series("nginx", null, Step.MINUTE, from, to);
 * }
 * </pre>
 *
 * Writes never block the caller: {@link #ingest} queues the report, or drops and counts it when
 * the writer's bounded queue is full. Retention runs on the writer thread once a minute of the
 * injected clock (or when {@link #maintain} asks).
 */
public final class OpsStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsStore.class);
    private static final int READERS = 4;
    private static final long MAINTENANCE_EVERY_MS = 60_000;

    private final StoreSettings settings;
    private final Clock clock;
    private final StoreWriter writer;
    private final ReadPool readers;
    private final AtomicLong droppedReports = new AtomicLong();
    private final AtomicLong skippedMinutes = new AtomicLong();
    private final AtomicLong rowsWritten = new AtomicLong();
    private volatile long nextMaintenanceMs;

    private OpsStore(StoreSettings settings, Clock clock, Connection writeConnection) {
        this.settings = settings;
        this.clock = clock;
        this.nextMaintenanceMs = clock.millis() + MAINTENANCE_EVERY_MS;
        this.writer = new StoreWriter(writeConnection, settings.queueCapacity(), this::maintainIfDue);
        this.readers = new ReadPool(settings.path(), READERS);
        writer.start();
    }

    /** Opens (creating or migrating) the database at {@code settings.path()} and starts the writer. */
    public static OpsStore open(StoreSettings settings, Clock clock) {
        Connection c = Sqlite.open(settings.path(), false);
        try {
            int before = Schema.migrate(c);
            if (before != Schema.VERSION) {
                LOG.info("metrics store {}: schema {} -> {}", settings.path(), before, Schema.VERSION);
            }
            return new OpsStore(settings, clock, c);
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // reporting the first failure
            }
            if (e instanceof StoreException se) {
                throw se;
            }
            throw new StoreException("cannot prepare the metrics database " + settings.path() + ": " + e.getMessage(), e);
        }
    }

    public StoreSettings settings() {
        return settings;
    }

    public Clock clock() {
        return clock;
    }

    /** The current epoch minute of the store's clock. */
    public long nowMinute() {
        return Math.floorDiv(clock.millis(), 60_000L);
    }

    /**
     * Queues a report for writing; never blocks. Minutes older than the per-minute retention are
     * left out (counted in {@link Ingest#skipped}). A full queue drops the whole report and counts it.
     */
    public Ingest ingest(Report report) {
        long oldest = nowMinute() - settings.minuteRetentionMinutes() + 60;
        List<Report.Minute> kept = new ArrayList<>(report.minutes().size());
        for (Report.Minute m : report.minutes()) {
            if (m.minute() >= oldest) {
                kept.add(m);
            }
        }
        int skipped = report.minutes().size() - kept.size();
        skippedMinutes.addAndGet(skipped);
        if (kept.isEmpty()) {
            return new Ingest(Ingest.Outcome.QUEUED, 0, skipped, CompletableFuture.completedFuture(0));
        }
        Report r = new Report(report.tier(), report.source(), kept);
        CompletableFuture<Integer> written = writer.offer(c -> {
            int rows = ReportWriter.write(c, r);
            rowsWritten.addAndGet(rows);
            return rows;
        });
        if (written == null) {
            droppedReports.incrementAndGet();
            return new Ingest(Ingest.Outcome.QUEUE_FULL, 0, skipped, null);
        }
        return new Ingest(Ingest.Outcome.QUEUED, kept.size(), skipped, written);
    }

    /**
     * Runs other writes (alerts) on the writer thread, in its transaction.
     *
     * @throws StoreException when the queue is full
     */
    public <T> CompletableFuture<T> write(Work<T> work) {
        CompletableFuture<T> f = writer.offer(work::run);
        if (f == null) {
            throw new StoreException("the metrics store's write queue is full (store.queueCapacity " + settings.queueCapacity() + ")");
        }
        return f;
    }

    /** Runs a read on one of the read-only connections. */
    public <T> T read(Work<T> work) {
        return readers.read(work::run);
    }

    /** Completes when everything queued before it is written. */
    public CompletableFuture<Void> flush() {
        return write(c -> null);
    }

    /** Runs retention now (on the writer thread). */
    public CompletableFuture<Retention.Outcome> maintain() {
        return write(c -> Retention.run(c, settings, nowMinute()));
    }

    /**
     * A task's series per tier, summed over its sources or for one source, {@code [fromMinute, toMinute)};
     * with {@code task} null, the totals over every task ({@code source} must then be null).
     */
    public Series series(String task, String source, Step step, long fromMinute, long toMinute) {
        return read(c -> SeriesQuery.run(c, task, source, step, fromMinute, toMinute));
    }

    /** Task ids with per-minute data. */
    public List<String> tasks() {
        return read(c -> Retention.tasks(c, "task_minute"));
    }

    /** Bytes of database pages in use. */
    public long usedBytes() {
        return read(Retention::usedBytes);
    }

    /** Reports dropped because the write queue was full. */
    public long droppedReports() {
        return droppedReports.get();
    }

    /** Minutes left out because they were older than the per-minute retention. */
    public long skippedMinutes() {
        return skippedMinutes.get();
    }

    public long rowsWritten() {
        return rowsWritten.get();
    }

    public int queued() {
        return writer.queued();
    }

    private void maintainIfDue() {
        long now = clock.millis();
        if (now < nextMaintenanceMs) {
            return;
        }
        nextMaintenanceMs = now + MAINTENANCE_EVERY_MS;
        if (writer.offer(c -> Retention.run(c, settings, nowMinute())) == null) {
            LOG.warn("metrics store retention postponed: the write queue is full");
        }
    }

    /** Finishes the queued writes, then closes the database. */
    @Override
    public void close() {
        writer.close();
        readers.close();
    }

    /** Work on a connection (the writer's, in a transaction, or a read-only one). */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }
}
