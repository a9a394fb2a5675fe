package io.datastream.control.inventory;

import io.datastream.registry.member.AgentInfo;
import io.datastream.registry.member.SinkInfo;
import io.datastream.registry.member.TaskStatus;
import io.datastream.registry.task.VersionedTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One task's status gathered from the agents that run it (their {@link AgentInfo#status()}
 * entries), per agent and summed.
 *
 * @param taskId  the task
 * @param version the task version the report was made for
 * @param summary totals over every agent running the task
 * @param agents  one page of the agents running the task, sorted by agent id
 * @param next    cursor of the next page of agents, or null
 * @param waiting up to {@value #MAX_WAITING} ids of agents the task's host selector matches that do not report it yet
 * @param sink    the task's counts summed over the sinks that report it, or null when none does
 * @param sinks   the ids of the sinks that report the task
 */
public record TaskStatusReport(String taskId, int version, Summary summary, List<AgentEntry> agents, String next,
                               List<String> waiting, SinkInfo.Counts sink, List<String> sinks) {

    public static final int MAX_WAITING = 100;

    /**
     * Totals.
     *
     * @param matching     live agents the task's host selector matches
     * @param reporting    live agents that report running the task
     * @param waiting      matching agents that do not report it (yet)
     * @param states       reporting agents per task state
     * @param files        files followed, summed
     * @param backlogBytes bytes not yet acknowledged, summed
     * @param maxLagMillis the largest lag of any agent
     * @param linesRead    summed
     * @param bytesRead    summed
     * @param linesAcked   summed
     * @param droppedLines summed
     * @param droppedBytes summed
     * @param errors       summed
     * @param droppedBytesByReason droppedBytes by reason (the agents' DropReason names), summed
     * @param droppedLinesByReason droppedLines by reason, summed
     */
    public record Summary(int matching, int reporting, int waiting, Map<String, Integer> states, long files, long backlogBytes,
                          long maxLagMillis, long linesRead, long bytesRead, long linesAcked, long droppedLines,
                          long droppedBytes, long errors, Map<String, Long> droppedBytesByReason,
                          Map<String, Long> droppedLinesByReason) {
    }

    /**
     * One agent's view of the task.
     *
     * @param agentId         agent
     * @param host            its host
     * @param router          the router it sends to, or null
     * @param selected        whether the task's current host selector matches the agent
     * @param updatedAtMillis when the agent last published its status
     * @param status          its status of the task (null until the agent first reports it)
     */
    public record AgentEntry(String agentId, String host, String router, boolean selected, long updatedAtMillis,
                             TaskStatus status) {
    }

    /** Gathers the report from the live agents (sorted by id), with one page of per-agent entries, and no sink. */
    public static TaskStatusReport gather(VersionedTask task, List<AgentInfo> agentsById, String after, int limit) {
        return gather(task, agentsById, List.of(), after, limit);
    }

    /** Gathers the report from the live agents (sorted by id), with one page of per-agent entries, and the live sinks. */
    public static TaskStatusReport gather(VersionedTask task, List<AgentInfo> agentsById, List<SinkInfo> liveSinks, String after,
                                          int limit) {
        String id = task.spec().id();
        SelectorMatcher selector = new SelectorMatcher(task.spec().hosts());
        int matching = 0;
        int reporting = 0;
        int waitingCount = 0;
        List<String> waiting = new ArrayList<>();
        Map<String, Integer> states = new TreeMap<>();
        long files = 0;
        long backlog = 0;
        long lag = 0;
        long linesRead = 0;
        long bytesRead = 0;
        long linesAcked = 0;
        long droppedLines = 0;
        long droppedBytes = 0;
        long errors = 0;
        Map<String, Long> bytesByReason = new TreeMap<>();
        Map<String, Long> linesByReason = new TreeMap<>();
        for (AgentInfo a : agentsById) {
            boolean selected = selector.matches(a.host(), a.labels());
            boolean runs = AgentQuery.runs(a, id);
            if (selected) {
                matching++;
            }
            if (!runs) {
                if (selected) {
                    waitingCount++;
                    if (waiting.size() < MAX_WAITING) {
                        waiting.add(a.id());
                    }
                }
                continue;
            }
            reporting++;
            TaskStatus s = a.status().get(id);
            if (s == null) {
                continue;
            }
            states.merge(s.state() == null ? "unknown" : s.state(), 1, Integer::sum);
            files += s.files();
            backlog += s.backlogBytes();
            lag = Math.max(lag, s.lagMillis());
            linesRead += s.linesRead();
            bytesRead += s.bytesRead();
            linesAcked += s.linesAcked();
            droppedLines += s.droppedLines();
            droppedBytes += s.droppedBytes();
            errors += s.errors();
            s.droppedBytesByReason().forEach((r, n) -> bytesByReason.merge(r, n, Long::sum));
            s.droppedLinesByReason().forEach((r, n) -> linesByReason.merge(r, n, Long::sum));
        }
        Page<AgentInfo> page = Page.of(agentsById, AgentInfo::id, a -> AgentQuery.runs(a, id), after, limit);
        List<AgentEntry> entries = new ArrayList<>(page.items().size());
        for (AgentInfo a : page.items()) {
            entries.add(new AgentEntry(a.id(), a.host(), a.router(), selector.matches(a.host(), a.labels()),
                    a.updatedAtMillis(), a.status().get(id)));
        }
        Summary summary = new Summary(matching, reporting, waitingCount, states, files, backlog, lag, linesRead, bytesRead,
                linesAcked, droppedLines, droppedBytes, errors, bytesByReason, linesByReason);
        SinkInfo.Counts sink = null;
        List<String> sinkIds = new ArrayList<>();
        for (SinkInfo si : liveSinks) {
            SinkInfo.Counts c = si.tasks().get(id);
            if (c != null) {
                sink = sink == null ? c : sink.plus(c);
                sinkIds.add(si.id());
            }
        }
        return new TaskStatusReport(id, task.version(), summary, entries, page.next(), waiting, sink, sinkIds);
    }
}
