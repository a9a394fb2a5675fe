package io.datastream.control.ops.alert;

import io.datastream.control.ops.store.OpsStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Rules, their states and their history in the metrics database. Writes go through the store's
 * writer thread; reads use its read connections.
 */
public final class AlertRepository {
    public static final int HISTORY_KEPT = 500;
    private static final long WRITE_WAIT_S = 30;
    private final OpsStore store;

    /** A rule with where it stands. */
    public record StoredRule(AlertRule rule, RuleStatus status) {
    }

    public AlertRepository(OpsStore store) {
        this.store = store;
    }

    /** Creates a rule; false when one with that id exists. */
    public boolean create(AlertRule r) {
        long now = store.clock().millis();
        return await(store.write(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT OR IGNORE INTO alert_rules(id, body, created_ms) VALUES (?, ?, ?)")) {
                s.setString(1, r.id());
                s.setString(2, AlertRuleCodec.write(r));
                s.setLong(3, now);
                return s.executeUpdate() == 1;
            }
        }));
    }

    /** Replaces a rule (its state starts again); false when there is none. */
    public boolean replace(AlertRule r) {
        return await(store.write(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE alert_rules SET body=? WHERE id=?");
                 PreparedStatement st = c.prepareStatement("DELETE FROM alert_state WHERE rule_id=?")) {
                s.setString(1, AlertRuleCodec.write(r));
                s.setString(2, r.id());
                st.setString(1, r.id());
                boolean found = s.executeUpdate() == 1;
                st.executeUpdate();
                return found;
            }
        }));
    }

    /** Deletes a rule with its state and history; false when there is none. */
    public boolean delete(String id) {
        return await(store.write(c -> {
            boolean found;
            try (PreparedStatement s = c.prepareStatement("DELETE FROM alert_rules WHERE id=?")) {
                s.setString(1, id);
                found = s.executeUpdate() == 1;
            }
            for (String t : List.of("alert_state", "alert_history")) {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM " + t + " WHERE rule_id=?")) {
                    s.setString(1, id);
                    s.executeUpdate();
                }
            }
            return found;
        }));
    }

    /** Holds notifications of a rule back until {@code untilMs} (0 lifts the silence); false when there is no such rule. */
    public boolean silence(String id, long untilMs) {
        return await(store.write(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE alert_rules SET silenced_until_ms=? WHERE id=?")) {
                s.setLong(1, untilMs);
                s.setString(2, id);
                return s.executeUpdate() == 1;
            }
        }));
    }

    /** Every rule, by id. */
    public List<StoredRule> list() {
        return store.read(c -> {
            List<StoredRule> rules = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT r.body, r.silenced_until_ms, s.state, s.since_ms, s.value, s.message, r.created_ms"
                    + " FROM alert_rules r LEFT JOIN alert_state s ON s.rule_id = r.id ORDER BY r.id");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rules.add(row(rs));
                }
            }
            return rules;
        });
    }

    /** One rule, or null. */
    public StoredRule get(String id) {
        return list().stream().filter(r -> r.rule().id().equals(id)).findFirst().orElse(null);
    }

    /** A rule's transitions, newest first. */
    public List<Transition> history(String id, int limit) {
        return store.read(c -> {
            List<Transition> h = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT at_ms, from_state, to_state, value, message FROM alert_history"
                    + " WHERE rule_id=? ORDER BY seq DESC LIMIT ?")) {
                s.setString(1, id);
                s.setInt(2, limit);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        h.add(new Transition(id, rs.getLong(1), AlertState.valueOf(rs.getString(2)), AlertState.valueOf(rs.getString(3)),
                                rs.getDouble(4), rs.getString(5)));
                    }
                }
            }
            return h;
        });
    }

    /** A transition with its place in the history of every rule ({@code seq} grows with each transition stored). */
    public record HistoryEntry(long seq, Transition transition) {
    }

    /** One page of the history of every rule, newest first, and how many transitions match in all. */
    public record HistoryPage(List<HistoryEntry> items, long total) {
    }

    /**
     * The transitions of every rule at {@code fromMs <= at < toMs}, newest first: at most
     * {@code limit}, older than {@code beforeSeq} (the cursor, {@link Long#MAX_VALUE} for the
     * newest), only those into {@code to} when it is not null. {@code total} ignores the cursor.
     */
    public HistoryPage historyOfAll(long fromMs, long toMs, AlertState to, long beforeSeq, int limit) {
        String where = " WHERE at_ms >= ? AND at_ms < ?" + (to == null ? "" : " AND to_state = ?");
        return store.read(c -> {
            List<HistoryEntry> items = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT seq, rule_id, at_ms, from_state, to_state, value, message FROM alert_history"
                    + where + " AND seq < ? ORDER BY seq DESC LIMIT ?")) {
                int i = bindRange(s, fromMs, toMs, to);
                s.setLong(i++, beforeSeq);
                s.setInt(i, limit);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        items.add(new HistoryEntry(rs.getLong(1), new Transition(rs.getString(2), rs.getLong(3),
                                AlertState.valueOf(rs.getString(4)), AlertState.valueOf(rs.getString(5)), rs.getDouble(6), rs.getString(7))));
                    }
                }
            }
            long total;
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM alert_history" + where)) {
                bindRange(s, fromMs, toMs, to);
                try (ResultSet rs = s.executeQuery()) {
                    total = rs.next() ? rs.getLong(1) : 0;
                }
            }
            return new HistoryPage(items, total);
        });
    }

    private static int bindRange(PreparedStatement s, long fromMs, long toMs, AlertState to) throws java.sql.SQLException {
        s.setLong(1, fromMs);
        s.setLong(2, toMs);
        if (to == null) {
            return 3;
        }
        s.setString(3, to.name());
        return 4;
    }

    /** Stores a rule's state, and the transition when there is one (keeping the newest {@link #HISTORY_KEPT}). */
    CompletableFuture<Void> save(String id, RuleStatus st, Transition t) {
        return store.write(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO alert_state(rule_id, state, since_ms, value, message) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT(rule_id) DO UPDATE SET state=excluded.state, since_ms=excluded.since_ms, value=excluded.value,"
                    + " message=excluded.message")) {
                s.setString(1, id);
                s.setString(2, st.state().name());
                s.setLong(3, st.sinceMs());
                s.setDouble(4, st.value());
                s.setString(5, st.message());
                s.executeUpdate();
            }
            if (t != null) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO alert_history(rule_id, at_ms, from_state, to_state, value, message)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")) {
                    s.setString(1, id);
                    s.setLong(2, t.atMs());
                    s.setString(3, t.from().name());
                    s.setString(4, t.to().name());
                    s.setDouble(5, t.value());
                    s.setString(6, t.message());
                    s.executeUpdate();
                }
                try (PreparedStatement s = c.prepareStatement("DELETE FROM alert_history WHERE rule_id=? AND seq <= "
                        + "(SELECT seq FROM alert_history WHERE rule_id=? ORDER BY seq DESC LIMIT 1 OFFSET ?)")) {
                    s.setString(1, id);
                    s.setString(2, id);
                    s.setInt(3, HISTORY_KEPT);
                    s.executeUpdate();
                }
            }
            return null;
        });
    }

    private static StoredRule row(ResultSet rs) throws java.sql.SQLException {
        AlertRule rule = AlertRuleCodec.read(rs.getString(1));
        long silenced = rs.getLong(2);
        String state = rs.getString(3);
        RuleStatus st = state == null ? new RuleStatus(AlertState.INACTIVE, rs.getLong(7), 0, "", silenced)
                : new RuleStatus(AlertState.valueOf(state), rs.getLong(4), rs.getDouble(5), rs.getString(6), silenced);
        return new StoredRule(rule, st);
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(WRITE_WAIT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.datastream.control.ops.store.StoreException("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new io.datastream.control.ops.store.StoreException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new io.datastream.control.ops.store.StoreException("the metrics store did not write in " + WRITE_WAIT_S + " s");
        }
    }
}
