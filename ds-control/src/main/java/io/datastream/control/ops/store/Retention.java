package io.datastream.control.ops.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the database bounded, run by the writer thread: whole hours of per-minute rows older than
 * {@code store.retentionMinuteDays} are rolled up into hourly rows (counters summed, gauges the
 * largest) and deleted; hourly rows older than {@code store.retentionHourDays} are deleted; and while
 * the data is larger than {@code store.maxBytes}, the oldest hour of data is deleted (logged).
 * Deleted pages are reused by later writes, so the file stops growing rather than shrinking.
 */
public final class Retention {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    private static final int MAX_EVICTIONS = 10_000;
    private static final String COLS = Stream.of(Counter.values()).map(Counter::column).collect(Collectors.joining(", "));
    private static final String OVER_TIME = Stream.of(Counter.values())
            .map(c -> (c.kind() == Counter.Kind.COUNTER ? "SUM(" : "MAX(") + c.column() + ")").collect(Collectors.joining(", "));
    private static final String ADD = Stream.of(Counter.values())
            .map(c -> c.column() + "=" + (c.kind() == Counter.Kind.COUNTER ? c.column() + "+excluded." + c.column()
                    : "MAX(" + c.column() + ", excluded." + c.column() + ")")).collect(Collectors.joining(", "));

    /** What one run did. */
    public record Outcome(long minuteRowsRolledUp, long hourRowsDeleted, long hoursEvicted) {
    }

    private Retention() {
    }

    static Outcome run(Connection c, StoreSettings settings, long nowMinute) throws SQLException {
        long firstKeptHour = Math.floorDiv(nowMinute - settings.minuteRetentionMinutes(), 60);
        long firstKeptMinute = firstKeptHour * 60;
        long hourCutoff = Math.floorDiv(nowMinute, 60) - settings.hourRetentionHours();
        long rolled = 0;
        long deleted = 0;
        for (String task : tasks(c, "task_minute")) {
            rolled += rollUp(c, task, firstKeptMinute);
        }
        for (String table : List.of("hour_counts", "task_hour", "hour_reasons", "hour_latency")) {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE hour < ?")) {
                s.setLong(1, hourCutoff);
                deleted += s.executeUpdate();
            }
        }
        long evicted = evict(c, settings.maxBytes());
        return new Outcome(rolled, deleted, evicted);
    }

    private static long rollUp(Connection c, String task, long beforeMinute) throws SQLException {
        String group = "WHERE task=? AND minute < ? GROUP BY minute / 60, tier";
        exec(c, "INSERT INTO hour_counts(task, hour, tier, source, " + COLS + ") SELECT task, minute / 60, tier, source, "
                + OVER_TIME + " FROM minute_counts " + group + ", source ON CONFLICT(task, hour, tier, source) DO UPDATE SET " + ADD,
                task, beforeMinute);
        exec(c, "INSERT INTO task_hour(task, hour, tier, " + COLS + ") SELECT task, minute / 60, tier, " + OVER_TIME
                + " FROM task_minute " + group + " ON CONFLICT(task, hour, tier) DO UPDATE SET " + ADD, task, beforeMinute);
        exec(c, "INSERT INTO hour_reasons(task, hour, tier, source, kind, reason, lines) SELECT task, minute / 60, tier, source, kind,"
                + " reason, SUM(lines) FROM minute_reasons " + group + ", source, kind, reason"
                + " ON CONFLICT(task, hour, tier, source, kind, reason) DO UPDATE SET lines=lines+excluded.lines", task, beforeMinute);
        exec(c, "INSERT INTO hour_latency(task, hour, tier, source, bucket, lines) SELECT task, minute / 60, tier, source, bucket,"
                + " SUM(lines) FROM minute_latency " + group + ", source, bucket"
                + " ON CONFLICT(task, hour, tier, source, bucket) DO UPDATE SET lines=lines+excluded.lines", task, beforeMinute);
        long rows = 0;
        for (String table : List.of("minute_counts", "task_minute", "minute_reasons", "minute_latency")) {
            rows += exec(c, "DELETE FROM " + table + " WHERE task=? AND minute < ?", task, beforeMinute);
        }
        return rows;
    }

    /** Deletes the oldest hour of data while the data is over {@code maxBytes}; returns the hours deleted. */
    private static long evict(Connection c, long maxBytes) throws SQLException {
        long evicted = 0;
        while (usedBytes(c) > maxBytes && evicted < MAX_EVICTIONS) {
            Long oldestMinuteHour = oldest(c, "task_minute", "minute");
            if (oldestMinuteHour != null) {
                long end = (Math.floorDiv(oldestMinuteHour, 60) + 1) * 60;
                for (String table : List.of("minute_counts", "task_minute", "minute_reasons", "minute_latency")) {
                    exec(c, "DELETE FROM " + table + " WHERE minute < ?", null, end);
                }
                LOG.debug("metrics store over store.maxBytes: deleted the per-minute data before epoch minute {}", end);
            } else {
                Long oldestHour = oldest(c, "task_hour", "hour");
                if (oldestHour == null) {
                    break;
                }
                for (String table : List.of("hour_counts", "task_hour", "hour_reasons", "hour_latency")) {
                    exec(c, "DELETE FROM " + table + " WHERE hour <= ?", null, oldestHour);
                }
                LOG.debug("metrics store over store.maxBytes: deleted the hourly data of epoch hour {}", oldestHour);
            }
            evicted++;
        }
        if (evicted > 0) {
            LOG.warn("metrics store over store.maxBytes ({} bytes): deleted the oldest {} hour(s) of data", maxBytes, evicted);
        }
        return evicted;
    }

    /** Bytes of pages in use (the file less its free pages). */
    static long usedBytes(Connection c) throws SQLException {
        return (pragma(c, "page_count") - pragma(c, "freelist_count")) * pragma(c, "page_size");
    }

    private static long pragma(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA " + name)) {
            return r.next() ? r.getLong(1) : 0;
        }
    }

    /** The smallest time value over every task (each task's smallest is an index seek). */
    private static Long oldest(Connection c, String table, String column) throws SQLException {
        Long min = null;
        for (String task : tasks(c, table)) {
            try (PreparedStatement s = c.prepareStatement("SELECT MIN(" + column + ") FROM " + table + " WHERE task=?")) {
                s.setString(1, task);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next() && r.getObject(1) != null) {
                        long v = r.getLong(1);
                        min = min == null ? v : Math.min(min, v);
                    }
                }
            }
        }
        return min;
    }

    static List<String> tasks(Connection c, String table) throws SQLException {
        List<String> tasks = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT DISTINCT task FROM " + table)) {
            while (r.next()) {
                tasks.add(r.getString(1));
            }
        }
        return tasks;
    }

    private static int exec(Connection c, String sql, String task, long value) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            if (task != null) {
                s.setString(i++, task);
            }
            s.setLong(i, value);
            return s.executeUpdate();
        }
    }
}
