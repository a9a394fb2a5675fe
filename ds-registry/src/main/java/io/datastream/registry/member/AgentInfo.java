package io.datastream.registry.member;

import java.util.List;
import java.util.Map;

/**
 * What an agent publishes about itself.
 *
 * @param id              agent id (stable across restarts)
 * @param host            host name
 * @param version         software version
 * @param labels          labels from its config, matched by task host selectors
 * @param tasks           ids of the tasks it runs
 * @param status          per-task status
 * @param router          the router it is connected to now ("host:port"), or null
 * @param startedAtMillis when the agent started
 * @param updatedAtMillis when this was written
 * @param httpAddress     "host:port" where the agent serves /metrics and /files, or null (http.port -1, or an
 *                        agent from before 0.2 that does not publish it)
 * @param pathsAllow      the agent's {@code paths.allow} (directories tasks may read), checked by control when a task is
 *                        written; null for an agent that does not publish it
 */
public record AgentInfo(String id, String host, String version, Map<String, String> labels, List<String> tasks,
                        Map<String, TaskStatus> status, String router, long startedAtMillis, long updatedAtMillis,
                        String httpAddress, List<String> pathsAllow) {
    public AgentInfo {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        status = status == null ? Map.of() : Map.copyOf(status);
        pathsAllow = pathsAllow == null ? null : List.copyOf(pathsAllow);
    }

    /** Without an allow-list. */
    public AgentInfo(String id, String host, String version, Map<String, String> labels, List<String> tasks,
                     Map<String, TaskStatus> status, String router, long startedAtMillis, long updatedAtMillis, String httpAddress) {
        this(id, host, version, labels, tasks, status, router, startedAtMillis, updatedAtMillis, httpAddress, null);
    }

    /** Without an HTTP address. */
    public AgentInfo(String id, String host, String version, Map<String, String> labels, List<String> tasks,
                     Map<String, TaskStatus> status, String router, long startedAtMillis, long updatedAtMillis) {
        this(id, host, version, labels, tasks, status, router, startedAtMillis, updatedAtMillis, null, null);
    }
}
