package io.datastream.control.ops.alert;

import io.datastream.control.inventory.HostGlob;
import io.datastream.control.inventory.MemberIndex;
import io.datastream.registry.member.AgentInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Agents that stopped publishing: seen in ZooKeeper since control started, and now either gone
 * from it or not updated for {@link #STALE_MS} (by control's clock: the agent's own clock is not
 * trusted). Forgotten {@link #FORGET_MS} after they went, or as soon as they publish again. Used by
 * the alert scheduler's thread only.
 */
final class GoneAgents {
    static final long STALE_MS = 60_000;
    static final long FORGET_MS = 24 * 3_600_000L;

    private final MemberIndex<AgentInfo> agents;
    private final Map<String, Seen> seen = new HashMap<>();

    private static final class Seen {
        String host;
        List<String> tasks;
        long updatedAtMillis;
        long changedAtMs;
    }

    GoneAgents(MemberIndex<AgentInfo> agents) {
        this.agents = agents;
    }

    /** Takes in the live agents as of {@code now}. */
    void refresh(long now) {
        for (AgentInfo a : agents.sorted()) {
            Seen s = seen.computeIfAbsent(a.id(), id -> new Seen());
            if (s.tasks == null || s.updatedAtMillis != a.updatedAtMillis()) {
                s.changedAtMs = now;
            }
            s.host = a.host();
            s.tasks = a.tasks();
            s.updatedAtMillis = a.updatedAtMillis();
        }
        seen.entrySet().removeIf(e -> now - e.getValue().changedAtMs > FORGET_MS);
    }

    /** Ids of the agents in scope that are gone, sorted. */
    List<String> gone(long now, String task, HostGlob hosts) {
        List<String> ids = new ArrayList<>();
        seen.forEach((id, s) -> {
            boolean live = agents.get(id) != null && now - s.changedAtMs <= STALE_MS;
            if (!live && (task == null || s.tasks.contains(task)) && (hosts == null || hosts.matches(s.host))) {
                ids.add(id);
            }
        });
        ids.sort(null);
        return ids;
    }
}
