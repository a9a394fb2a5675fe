package io.datastream.control.inventory;

import io.datastream.registry.member.AgentInfo;
import io.datastream.registry.member.TaskStatus;
import java.util.List;
import java.util.function.Predicate;

/**
 * A filter over agents; every part is optional (null = any) and all given parts must match.
 *
 * @param host   host name glob
 * @param labels labels the agent must carry (a label without value: the key must be present)
 * @param task   id of a task the agent runs
 * @param state  the agent runs a task in this state (running, parked, stopped...; with {@code task}:
 *               that task is in this state); {@value #IDLE} matches agents that run no task, {@value #UP}
 *               every live agent, {@value #DOWN} none (the API lists agents that went away for it)
 */
public record AgentQuery(HostGlob host, List<Label> labels, String task, String state) implements Predicate<AgentInfo> {

    /** The state of an agent that runs no task. */
    public static final String IDLE = "idle";
    /** Every live agent. */
    public static final String UP = "up";
    /** Matches no live agent: the API lists the agents that went away for it. */
    public static final String DOWN = "down";

    public static final AgentQuery ALL = new AgentQuery(null, List.of(), null, null);

    /** A label condition: {@code key=value}, or just {@code key} (value null) for "has this label". */
    public record Label(String key, String value) {
        /** Parses {@code key=value} or {@code key}; an empty key is an {@link IllegalArgumentException}. */
        public static Label parse(String text) {
            int eq = text.indexOf('=');
            String key = eq < 0 ? text : text.substring(0, eq);
            if (key.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "' must be key=value or key");
            }
            return new Label(key, eq < 0 ? null : text.substring(eq + 1));
        }
    }

    public AgentQuery {
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    /** This query with another {@code state} (null: any). */
    public AgentQuery withState(String otherState) {
        return new AgentQuery(host, labels, task, otherState);
    }

    @Override
    public boolean test(AgentInfo a) {
        if (host != null && !host.matches(a.host())) {
            return false;
        }
        for (Label l : labels) {
            String v = a.labels().get(l.key());
            if (v == null || (l.value() != null && !l.value().equals(v))) {
                return false;
            }
        }
        if (task != null && !runs(a, task)) {
            return false;
        }
        return state == null || inState(a);
    }

    /** True when the agent reports running {@code taskId} (in its task list or its status map). */
    public static boolean runs(AgentInfo a, String taskId) {
        return a.tasks().contains(taskId) || a.status().containsKey(taskId);
    }

    private boolean inState(AgentInfo a) {
        if (UP.equals(state)) {
            return true;
        }
        if (DOWN.equals(state)) {
            return false;
        }
        if (IDLE.equals(state)) {
            return a.tasks().isEmpty() && a.status().isEmpty();
        }
        if (task != null) {
            TaskStatus s = a.status().get(task);
            return s != null && state.equalsIgnoreCase(s.state());
        }
        for (TaskStatus s : a.status().values()) {
            if (s != null && state.equalsIgnoreCase(s.state())) {
                return true;
            }
        }
        return false;
    }
}
