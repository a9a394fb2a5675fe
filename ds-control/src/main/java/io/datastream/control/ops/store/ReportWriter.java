package io.datastream.control.ops.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes one report on the writer's connection. For each (minute, task) it replaces the source's
 * row, adds the difference to the task's total for that minute (so a re-sent report changes
 * nothing, and a corrected one corrects the total), and replaces the source's reason counts and
 * latency histogram.
 */
final class ReportWriter {
    private static final Counter[] COUNTERS = Counter.values();
    private static final String COLS = Stream.of(COUNTERS).map(Counter::column).collect(Collectors.joining(", "));
    private static final String MARKS = Stream.of(COUNTERS).map(c -> "?").collect(Collectors.joining(", "));

    static final String SELECT_OLD = "SELECT " + COLS + " FROM minute_counts WHERE task=? AND minute=? AND tier=? AND source=?";
    static final String UPSERT_SOURCE = "INSERT INTO minute_counts(task, minute, tier, source, " + COLS + ") VALUES (?, ?, ?, ?, "
            + MARKS + ") ON CONFLICT(task, minute, tier, source) DO UPDATE SET "
            + Stream.of(COUNTERS).map(c -> c.column() + "=excluded." + c.column()).collect(Collectors.joining(", "));
    /** Adds the (new - old) difference of counters and backlog; lag keeps the largest. */
    static final String UPSERT_TASK = "INSERT INTO task_minute(task, minute, tier, " + COLS + ") VALUES (?, ?, ?, " + MARKS
            + ") ON CONFLICT(task, minute, tier) DO UPDATE SET "
            + Stream.of(COUNTERS).map(c -> c.kind() == Counter.Kind.LAG ? c.column() + "=MAX(" + c.column() + ", excluded." + c.column() + ")"
                    : c.column() + "=" + c.column() + "+excluded." + c.column()).collect(Collectors.joining(", "));
    static final String DELETE_REASONS = "DELETE FROM minute_reasons WHERE task=? AND minute=? AND tier=? AND source=?";
    static final String INSERT_REASON = "INSERT INTO minute_reasons(task, minute, tier, source, kind, reason, lines) VALUES (?, ?, ?, ?, ?, ?, ?)";
    static final String DELETE_LATENCY = "DELETE FROM minute_latency WHERE task=? AND minute=? AND tier=? AND source=?";
    static final String INSERT_LATENCY = "INSERT INTO minute_latency(task, minute, tier, source, bucket, lines) VALUES (?, ?, ?, ?, ?, ?)";

    private ReportWriter() {
    }

    /** Writes every minute of the report; returns the rows written. */
    static int write(Connection c, Report r) throws SQLException {
        int rows = 0;
        try (PreparedStatement old = c.prepareStatement(SELECT_OLD);
             PreparedStatement source = c.prepareStatement(UPSERT_SOURCE);
             PreparedStatement task = c.prepareStatement(UPSERT_TASK);
             PreparedStatement deleteReasons = c.prepareStatement(DELETE_REASONS);
             PreparedStatement reason = c.prepareStatement(INSERT_REASON);
             PreparedStatement deleteLatency = c.prepareStatement(DELETE_LATENCY);
             PreparedStatement latency = c.prepareStatement(INSERT_LATENCY)) {
            for (Report.Minute m : r.minutes()) {
                long[] before = new long[COUNTERS.length];
                boolean existed;
                try (ResultSet rs = key(old, m, r).executeQuery()) {
                    existed = rs.next();
                    if (existed) {
                        for (int i = 0; i < COUNTERS.length; i++) {
                            before[i] = rs.getLong(i + 1);
                        }
                    }
                }
                key(source, m, r);
                for (int i = 0; i < COUNTERS.length; i++) {
                    source.setLong(5 + i, m.counts().get(COUNTERS[i]));
                }
                source.executeUpdate();

                task.setString(1, m.task());
                task.setLong(2, m.minute());
                task.setInt(3, r.tier().id());
                for (int i = 0; i < COUNTERS.length; i++) {
                    long now = m.counts().get(COUNTERS[i]);
                    task.setLong(4 + i, COUNTERS[i].kind() == Counter.Kind.LAG ? now : now - before[i]);
                }
                task.executeUpdate();

                if (existed) {
                    key(deleteReasons, m, r).executeUpdate();
                    key(deleteLatency, m, r).executeUpdate();
                }
                for (Map.Entry<Integer, Long> b : m.counts().latency().lines().entrySet()) {
                    key(latency, m, r);
                    latency.setInt(5, b.getKey());
                    latency.setLong(6, b.getValue());
                    latency.executeUpdate();
                    rows++;
                }
                rows += 2;
                for (ReasonKind k : ReasonKind.values()) {
                    rows += reasons(reason, m, r, k, m.counts().reasons(k));
                }
            }
        }
        return rows;
    }

    private static PreparedStatement key(PreparedStatement s, Report.Minute m, Report r) throws SQLException {
        s.setString(1, m.task());
        s.setLong(2, m.minute());
        s.setInt(3, r.tier().id());
        s.setString(4, r.source());
        return s;
    }

    private static int reasons(PreparedStatement s, Report.Minute m, Report r, ReasonKind kind, Map<String, Long> byReason)
            throws SQLException {
        for (Map.Entry<String, Long> e : byReason.entrySet()) {
            key(s, m, r);
            s.setInt(5, kind.id());
            s.setString(6, e.getKey());
            s.setLong(7, e.getValue());
            s.executeUpdate();
        }
        return byReason.size();
    }
}
