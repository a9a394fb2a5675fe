package io.datastream.control.ops.alert;

import io.datastream.control.inventory.HostGlob;
import io.datastream.control.inventory.MemberIndex;
import io.datastream.control.ops.audit.AuditStatus;
import io.datastream.control.ops.audit.AuditWindow;
import io.datastream.control.ops.audit.Auditor;
import io.datastream.control.ops.store.Counter;
import io.datastream.control.ops.store.Counts;
import io.datastream.control.ops.store.OpsStore;
import io.datastream.control.ops.store.Step;
import io.datastream.control.ops.store.Tier;
import io.datastream.registry.member.AgentInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The value a rule compares with its threshold, with a line saying what it saw. */
final class Measure {
    /** Minutes back the latest agent report is looked for. */
    static final long RECENT_MINUTES = 5;

    private final OpsStore store;
    private final Auditor auditor;
    private final MemberIndex<AgentInfo> agents;
    private final GoneAgents gone;

    record Value(double value, String message) {
    }

    Measure(OpsStore store, Auditor auditor, MemberIndex<AgentInfo> agents, GoneAgents gone) {
        this.store = store;
        this.auditor = auditor;
        this.agents = agents;
        this.gone = gone;
    }

    Value of(AlertRule r, long nowMs) {
        long nowMinute = Math.floorDiv(nowMs, 60_000L);
        HostGlob hosts = r.hosts() == null ? null : HostGlob.of(r.hosts());
        List<String> tasks = r.task() != null ? List.of(r.task()) : store.tasks();
        return switch (r.kind()) {
            case BACKLOG_BYTES -> latestAgentValue(tasks, hosts, nowMinute, "backlog_bytes", true, "backlog bytes");
            case READ_LAG -> latestAgentValue(tasks, hosts, nowMinute, "lag_ms", false, "read lag ms");
            case TASK_ERRORS -> errors(tasks, nowMinute);
            case AUDIT_MISMATCH -> mismatches(tasks, nowMinute);
            case END_TO_END_LATENCY -> latency(r.task(), nowMinute);
            case AGENTS_GONE -> {
                List<String> ids = gone.gone(nowMs, r.task(), hosts);
                yield new Value(ids.size(), ids.size() + " agent(s) stopped publishing"
                        + (ids.isEmpty() ? "" : ": " + String.join(", ", ids.subList(0, Math.min(10, ids.size())))));
            }
        };
    }

    /** Each agent's value at its latest minute reported in the last few; summed or the largest over agents and tasks. */
    private Value latestAgentValue(List<String> tasks, HostGlob hosts, long nowMinute, String column, boolean sum, String what) {
        double total = 0;
        int agentsSeen = 0;
        for (String task : tasks) {
            Map<String, long[]> latest = store.read(c -> {
                Map<String, long[]> m = new HashMap<>();
                try (PreparedStatement s = c.prepareStatement("SELECT source, minute, " + column
                        + " FROM minute_counts WHERE task=? AND minute >= ? AND tier=1")) {
                    s.setString(1, task);
                    s.setLong(2, nowMinute - RECENT_MINUTES);
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            long[] prev = m.get(rs.getString(1));
                            if (prev == null || prev[0] < rs.getLong(2)) {
                                m.put(rs.getString(1), new long[]{rs.getLong(2), rs.getLong(3)});
                            }
                        }
                    }
                }
                return m;
            });
            for (Map.Entry<String, long[]> e : latest.entrySet()) {
                if (hosts != null) {
                    AgentInfo a = agents.get(e.getKey());
                    if (a == null || !hosts.matches(a.host())) {
                        continue;
                    }
                }
                agentsSeen++;
                total = sum ? total + e.getValue()[1] : Math.max(total, e.getValue()[1]);
            }
        }
        return new Value(total, what + " " + (long) total + " over " + agentsSeen + " agent report(s) of the last "
                + RECENT_MINUTES + " minutes");
    }

    /** The p99 of the sink's latency histograms of the last few read minutes, merged over the tasks in scope. */
    private Value latency(String task, long nowMinute) {
        Counts total = Counts.zero();
        for (Counts c : store.series(task, null, Step.MINUTE, nowMinute - RECENT_MINUTES, nowMinute + 1).of(Tier.SINK).values()) {
            total = total.plusOverTime(c);
        }
        long max = total.get(Counter.LATENCY_MAX_MS);
        long p99 = total.latency().percentile(0.99, max);
        return new Value(p99, "p99 read-to-commit latency " + p99 + " ms (largest " + max + " ms) over " + total.latency().count()
                + " committed line(s) read in the last " + RECENT_MINUTES + " minutes");
    }

    private Value errors(List<String> tasks, long nowMinute) {
        long total = 0;
        for (String task : tasks) {
            total += store.read(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(SUM(errors), 0) FROM task_minute WHERE task=? AND minute >= ?")) {
                    s.setString(1, task);
                    s.setLong(2, nowMinute - RECENT_MINUTES);
                    try (ResultSet rs = s.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : 0L;
                    }
                }
            });
        }
        return new Value(total, total + " error(s) reported in the last " + RECENT_MINUTES + " minutes");
    }

    private Value mismatches(List<String> tasks, long nowMinute) {
        int bad = 0;
        StringBuilder where = new StringBuilder();
        for (String task : tasks) {
            for (AuditWindow w : auditor.audit(task, nowMinute - 60, nowMinute + 1).windows()) {
                if (w.status() == AuditStatus.LOST || w.status() == AuditStatus.DUPLICATED) {
                    bad++;
                    if (where.length() < 200) {
                        where.append(where.length() == 0 ? ": " : ", ").append(task).append('@').append(w.minute()).append(' ')
                                .append(w.status().wireName());
                    }
                }
            }
        }
        return new Value(bad, bad + " audit window(s) lost or duplicated in the last hour" + where);
    }
}
