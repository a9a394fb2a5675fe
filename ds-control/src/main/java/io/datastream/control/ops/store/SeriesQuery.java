package io.datastream.control.ops.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads a {@link Series}. A task's totals come from {@code task_minute} / {@code task_hour} (one row
 * per tier and minute, whatever the number of sources); one source's from {@code minute_counts} /
 * {@code hour_counts}. With step hour, rolled-up hours and per-minute rows folded into hours are
 * merged; with step minute, only the per-minute rows (the last {@code store.retentionMinuteDays}).
 * With no task, the totals of every task: the tasks' rows summed per minute and tier (lag: the
 * largest), each task read through its primary key ({@code task IN (SELECT DISTINCT task ...)}).
 * Latency histograms ({@code minute_latency} / {@code hour_latency}) are added bucket by bucket
 * over the sources, tasks and minutes of a point.
 */
final class SeriesQuery {
    private static final Counter[] COUNTERS = Counter.values();
    private static final String COLS = Stream.of(COUNTERS).map(Counter::column).collect(Collectors.joining(", "));

    private SeriesQuery() {
    }

    static Series run(Connection c, String task, String source, Step step, long fromMinute, long toMinute) throws SQLException {
        Map<Tier, TreeMap<Long, Counts.Builder>> points = new EnumMap<>(Tier.class);
        String where = where(task, source, "task_minute");
        String countsTable = source == null ? "task_minute" : "minute_counts";
        read(c, "SELECT minute, tier, " + cols(task) + " FROM " + countsTable + " WHERE " + where + " AND minute >= ? AND minute < ?"
                + (task == null ? " GROUP BY minute, tier" : ""), task, source, fromMinute, toMinute, step, 1, points);
        reasons(c, "SELECT minute, tier, kind, reason, SUM(lines) FROM minute_reasons WHERE " + where
                + " AND minute >= ? AND minute < ? GROUP BY minute, tier, kind, reason", task, source, fromMinute, toMinute, step, 1, points);
        latency(c, "SELECT minute, tier, bucket, SUM(lines) FROM minute_latency WHERE " + where
                + " AND minute >= ? AND minute < ? GROUP BY minute, tier, bucket", task, source, fromMinute, toMinute, step, 1, points);
        if (step == Step.HOUR) {
            long fromHour = Math.floorDiv(fromMinute, 60);
            long toHour = Math.floorDiv(toMinute + 59, 60);
            String hourTable = source == null ? "task_hour" : "hour_counts";
            String hourWhere = where(task, source, "task_hour");
            read(c, "SELECT hour, tier, " + cols(task) + " FROM " + hourTable + " WHERE " + hourWhere + " AND hour >= ? AND hour < ?"
                    + (task == null ? " GROUP BY hour, tier" : ""), task, source, fromHour, toHour, step, 60, points);
            reasons(c, "SELECT hour, tier, kind, reason, SUM(lines) FROM hour_reasons WHERE " + hourWhere
                    + " AND hour >= ? AND hour < ? GROUP BY hour, tier, kind, reason", task, source, fromHour, toHour, step, 60, points);
            latency(c, "SELECT hour, tier, bucket, SUM(lines) FROM hour_latency WHERE " + hourWhere
                    + " AND hour >= ? AND hour < ? GROUP BY hour, tier, bucket", task, source, fromHour, toHour, step, 60, points);
        }
        Map<Tier, NavigableMap<Long, Counts>> tiers = new EnumMap<>(Tier.class);
        points.forEach((tier, byMinute) -> {
            TreeMap<Long, Counts> built = new TreeMap<>();
            byMinute.forEach((m, b) -> built.put(m, b.build()));
            tiers.put(tier, built);
        });
        return new Series(task, source, step, fromMinute, toMinute, tiers);
    }

    private static String where(String task, String source, String taskTable) {
        if (task == null) {
            return "task IN (SELECT DISTINCT task FROM " + taskTable + ")";
        }
        return source == null ? "task=?" : "task=? AND source=?";
    }

    /** The counter columns; over every task, each summed over the tasks (lag: the largest). */
    private static String cols(String task) {
        return task != null ? COLS : Stream.of(COUNTERS).map(Counter::overSources).collect(Collectors.joining(", "));
    }

    private static PreparedStatement bind(Connection c, String sql, String task, String source, long from, long to) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        int i = 1;
        if (task != null) {
            s.setString(i++, task);
        }
        if (source != null) {
            s.setString(i++, source);
        }
        s.setLong(i++, from);
        s.setLong(i, to);
        return s;
    }

    private static void read(Connection c, String sql, String task, String source, long from, long to, Step step, int unit,
                             Map<Tier, TreeMap<Long, Counts.Builder>> points) throws SQLException {
        try (PreparedStatement s = bind(c, sql, task, source, from, to); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                Counts.Builder b = point(points, Tier.ofId(r.getInt(2)), step.bucket(r.getLong(1) * unit));
                for (int i = 0; i < COUNTERS.length; i++) {
                    b.combine(COUNTERS[i], r.getLong(3 + i));
                }
            }
        }
    }

    private static void reasons(Connection c, String sql, String task, String source, long from, long to, Step step, int unit,
                                Map<Tier, TreeMap<Long, Counts.Builder>> points) throws SQLException {
        try (PreparedStatement s = bind(c, sql, task, source, from, to); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                point(points, Tier.ofId(r.getInt(2)), step.bucket(r.getLong(1) * unit))
                        .addReason(ReasonKind.ofId(r.getInt(3)), r.getString(4), r.getLong(5));
            }
        }
    }

    private static void latency(Connection c, String sql, String task, String source, long from, long to, Step step, int unit,
                                Map<Tier, TreeMap<Long, Counts.Builder>> points) throws SQLException {
        try (PreparedStatement s = bind(c, sql, task, source, from, to); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                point(points, Tier.ofId(r.getInt(2)), step.bucket(r.getLong(1) * unit)).latency(r.getInt(3), r.getLong(4));
            }
        }
    }

    private static Counts.Builder point(Map<Tier, TreeMap<Long, Counts.Builder>> points, Tier tier, long minute) {
        return points.computeIfAbsent(tier, t -> new TreeMap<>()).computeIfAbsent(minute, m -> Counts.builder());
    }
}
