package io.datastream.control.ops.audit;

import io.datastream.control.ops.store.Counter;
import io.datastream.control.ops.store.Counts;
import io.datastream.control.ops.store.OpsStore;
import io.datastream.control.ops.store.Series;
import io.datastream.control.ops.store.Step;
import io.datastream.control.ops.store.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reconciles a task's tiers minute by minute from the store. A minute is final once its end is
 * older than {@code finalityMs} by the store's clock; before that it is in flight, whatever the
 * counts say.
 */
public final class Auditor {
    private final OpsStore store;
    private final long finalityMs;

    public Auditor(OpsStore store, long finalityMs) {
        this.store = store;
        this.finalityMs = finalityMs;
    }

    /** The first epoch minute that is not final yet. */
    public long finalBefore() {
        return Math.floorDiv(store.clock().millis() - finalityMs, 60_000L);
    }

    /** Audits {@code [fromMinute, toMinute)}. */
    public AuditReport audit(String task, long fromMinute, long toMinute) {
        Series s = store.series(task, null, Step.MINUTE, fromMinute, toMinute);
        long finalBefore = finalBefore();
        TreeSet<Long> minutes = new TreeSet<>();
        for (Tier t : Tier.values()) {
            minutes.addAll(s.of(t).keySet());
        }
        java.util.Set<Tier> reporting = java.util.EnumSet.noneOf(Tier.class);
        for (Tier t : Tier.values()) {
            if (!s.of(t).isEmpty()) {
                reporting.add(t);
            }
        }
        boolean agents = reporting.contains(Tier.AGENT);
        boolean routers = reporting.contains(Tier.ROUTER);
        boolean sinks = reporting.contains(Tier.SINK);
        List<AuditWindow> windows = new ArrayList<>(minutes.size());
        long[] sum = new long[6];
        boolean anyInFlight = false;
        Map<String, Long> dropped = new TreeMap<>();
        for (long m : minutes) {
            Counts agent = s.at(Tier.AGENT, m);
            Counts router = s.at(Tier.ROUTER, m);
            Counts sink = s.at(Tier.SINK, m);
            AuditWindow w = AuditWindow.judge(m, agent.get(Counter.LINES_READ), agent.get(Counter.LINES_DROPPED),
                    agent.get(Counter.LINES_ACKED), router.get(Counter.LINES_TO_KAFKA), sink.get(Counter.LINES_COMMITTED),
                    sink.get(Counter.DUPLICATES_DROPPED), m + 1 <= finalBefore, agents, routers, sinks);
            windows.add(w);
            anyInFlight |= w.status() == AuditStatus.IN_FLIGHT;
            agent.droppedByReason().forEach((k, v) -> dropped.merge(k, v, Long::sum));
            sum[0] += w.read();
            sum[1] += w.dropped();
            sum[2] += w.acked();
            sum[3] += w.inKafka();
            sum[4] += w.committed();
            sum[5] += w.duplicatesDropped();
        }
        return new AuditReport(task, fromMinute, toMinute, finalBefore, windows, total(windows, sum, anyInFlight, agents), dropped, reporting);
    }

    private static AuditWindow total(List<AuditWindow> windows, long[] sum, boolean anyInFlight, boolean agents) {
        long missing = 0;
        long extra = 0;
        boolean lost = false;
        boolean dup = false;
        boolean resent = false;
        for (AuditWindow w : windows) {
            missing += w.missing();
            extra += w.extra();
            lost |= w.status() == AuditStatus.LOST;
            dup |= w.status() == AuditStatus.DUPLICATED;
            resent |= w.status() == AuditStatus.RESENT;
        }
        AuditStatus s = lost ? AuditStatus.LOST : dup ? AuditStatus.DUPLICATED : anyInFlight ? AuditStatus.IN_FLIGHT
                : resent ? AuditStatus.RESENT : agents || windows.isEmpty() ? AuditStatus.OK : AuditStatus.NO_AGENT_REPORTS;
        return new AuditWindow(-1, sum[0], sum[1], sum[2], sum[3], sum[4], sum[5], s, missing, extra);
    }
}
