package io.datastream.control.ops.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The database layout and its version, kept in {@code schema_version}. Opening a database of an
 * older version migrates it step by step; a newer version (written by a newer control server) is
 * refused rather than guessed at.
 *
 * <p>Version 1:
 * <pre>
 * minute_counts  (task, minute, tier, source, counters...)  one row per source and minute
 * task_minute    (task, minute, tier, counters...)          the same summed over sources, kept at ingest
 * minute_reasons (task, minute, tier, source, kind, reason, lines)  drops and refusals by reason
 * hour_counts, task_hour, hour_reasons                       the same per hour, rolled up after store.retentionMinuteDays
 * alert_rules, alert_state, alert_history                    alerts
 * </pre>
 *
 * <p>Version 2 adds the routers' intake counters (batches_in, lines_in, bytes_in) to the four count
 * tables, 0 in rows written before.
 *
 * <p>Version 3 adds the routers' HTTP event counters (events_accepted, events_refused; their maps by
 * reason and by sink are reason kinds 3 and 4 of the reasons tables) and the sink's read-to-commit
 * latency: latency_max_ms in the four count tables (0 before), and its histogram, lines per bucket
 * of {@link LatencyBuckets}' layout:
 * <pre>
 * minute_latency (task, minute, tier, source, bucket, lines)
 * hour_latency   (task, hour, tier, source, bucket, lines)   rolled up like the counts
 * </pre>
 */
public final class Schema {
    /** The version this code writes. */
    public static final int VERSION = 3;
    /** The counters version 2 added. */
    private static final List<Counter> ADDED_IN_V2 = List.of(Counter.BATCHES_IN, Counter.LINES_IN, Counter.BYTES_IN);
    /** The counters version 3 added; every other one is in version 1 or 2. */
    private static final List<Counter> ADDED_IN_V3 = List.of(Counter.LATENCY_MAX_MS, Counter.EVENTS_ACCEPTED, Counter.EVENTS_REFUSED);
    private static final List<String> COUNT_TABLES = List.of("minute_counts", "task_minute", "hour_counts", "task_hour");

    private Schema() {
    }

    /** Creates or migrates to {@link #VERSION}; returns the version found before. */
    static int migrate(Connection c) throws SQLException {
        int found = version(c);
        if (found > VERSION) {
            throw new StoreException("the metrics database has schema version " + found + "; this control server reads up to "
                    + VERSION + " (was it written by a newer version?)");
        }
        if (found == VERSION) {
            return found;
        }
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            if (found == 0) {
                for (String ddl : v1()) {
                    s.execute(ddl);
                }
            }
            if (found < 2) {
                for (String table : COUNT_TABLES) {
                    for (Counter k : ADDED_IN_V2) {
                        s.execute("ALTER TABLE " + table + " ADD COLUMN " + k.column() + " INTEGER NOT NULL DEFAULT 0");
                    }
                }
            }
            if (found < 3) {
                for (String table : COUNT_TABLES) {
                    for (Counter k : ADDED_IN_V3) {
                        s.execute("ALTER TABLE " + table + " ADD COLUMN " + k.column() + " INTEGER NOT NULL DEFAULT 0");
                    }
                }
                for (String ddl : v3()) {
                    s.execute(ddl);
                }
            }
            s.execute("DELETE FROM schema_version");
            s.execute("INSERT INTO schema_version(version) VALUES (" + VERSION + ")");
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
        return found;
    }

    /** The stored version, 0 for an empty database. */
    public static int version(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet t = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_version'")) {
            if (t.next() && t.getInt(1) == 0) {
                return 0;
            }
        }
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT max(version) FROM schema_version")) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    /** The counter columns of version 1. */
    private static String counterColumns() {
        return Stream.of(Counter.values()).filter(k -> !ADDED_IN_V2.contains(k) && !ADDED_IN_V3.contains(k)).map(k -> k.column() + " INTEGER NOT NULL DEFAULT 0").collect(Collectors.joining(", "));
    }

    private static List<String> v3() {
        return List.of("CREATE TABLE minute_latency(task TEXT NOT NULL, minute INTEGER NOT NULL, tier INTEGER NOT NULL, source TEXT NOT NULL,"
                        + " bucket INTEGER NOT NULL, lines INTEGER NOT NULL, PRIMARY KEY(task, minute, tier, source, bucket)) WITHOUT ROWID",
                "CREATE TABLE hour_latency(task TEXT NOT NULL, hour INTEGER NOT NULL, tier INTEGER NOT NULL, source TEXT NOT NULL,"
                        + " bucket INTEGER NOT NULL, lines INTEGER NOT NULL, PRIMARY KEY(task, hour, tier, source, bucket)) WITHOUT ROWID");
    }

    private static List<String> v1() {
        String cols = counterColumns();
        List<String> ddl = new ArrayList<>();
        ddl.add("CREATE TABLE schema_version(version INTEGER NOT NULL)");
        ddl.add("CREATE TABLE minute_counts(task TEXT NOT NULL, minute INTEGER NOT NULL, tier INTEGER NOT NULL, source TEXT NOT NULL, "
                + cols + ", PRIMARY KEY(task, minute, tier, source)) WITHOUT ROWID");
        ddl.add("CREATE TABLE task_minute(task TEXT NOT NULL, minute INTEGER NOT NULL, tier INTEGER NOT NULL, "
                + cols + ", PRIMARY KEY(task, minute, tier)) WITHOUT ROWID");
        ddl.add("CREATE TABLE minute_reasons(task TEXT NOT NULL, minute INTEGER NOT NULL, tier INTEGER NOT NULL, source TEXT NOT NULL,"
                + " kind INTEGER NOT NULL, reason TEXT NOT NULL, lines INTEGER NOT NULL,"
                + " PRIMARY KEY(task, minute, tier, source, kind, reason)) WITHOUT ROWID");
        ddl.add("CREATE TABLE hour_counts(task TEXT NOT NULL, hour INTEGER NOT NULL, tier INTEGER NOT NULL, source TEXT NOT NULL, "
                + cols + ", PRIMARY KEY(task, hour, tier, source)) WITHOUT ROWID");
        ddl.add("CREATE TABLE task_hour(task TEXT NOT NULL, hour INTEGER NOT NULL, tier INTEGER NOT NULL, "
                + cols + ", PRIMARY KEY(task, hour, tier)) WITHOUT ROWID");
        ddl.add("CREATE TABLE hour_reasons(task TEXT NOT NULL, hour INTEGER NOT NULL, tier INTEGER NOT NULL, source TEXT NOT NULL,"
                + " kind INTEGER NOT NULL, reason TEXT NOT NULL, lines INTEGER NOT NULL,"
                + " PRIMARY KEY(task, hour, tier, source, kind, reason)) WITHOUT ROWID");
        ddl.add("CREATE TABLE alert_rules(id TEXT PRIMARY KEY, body TEXT NOT NULL, created_ms INTEGER NOT NULL,"
                + " silenced_until_ms INTEGER NOT NULL DEFAULT 0)");
        ddl.add("CREATE TABLE alert_state(rule_id TEXT PRIMARY KEY, state TEXT NOT NULL, since_ms INTEGER NOT NULL,"
                + " value REAL NOT NULL, message TEXT NOT NULL)");
        ddl.add("CREATE TABLE alert_history(seq INTEGER PRIMARY KEY AUTOINCREMENT, rule_id TEXT NOT NULL, at_ms INTEGER NOT NULL,"
                + " from_state TEXT NOT NULL, to_state TEXT NOT NULL, value REAL NOT NULL, message TEXT NOT NULL)");
        ddl.add("CREATE INDEX alert_history_rule ON alert_history(rule_id, seq)");
        return ddl;
    }
}
