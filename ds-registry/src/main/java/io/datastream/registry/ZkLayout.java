package io.datastream.registry;

/**
 * Every ZooKeeper path Datastream uses, under one root (default {@value #DEFAULT_ROOT}).
 *
 * <pre>
 * {root}/tasks/{taskId}      persistent, JSON TaskSpec; the node's version is the task's version
 * {root}/agents/{agentId}    ephemeral, JSON AgentInfo, refreshed by the agent (status included)
 * {root}/routers/{routerId}  ephemeral, JSON RouterInfo, refreshed by the router (load included)
 * {root}/sinks/{sinkId}      ephemeral, JSON SinkInfo, refreshed by the sink launcher (per-task counts)
 * {root}/audit/{taskId}/change-NNNNNNNNNN  persistent sequential, JSON TaskChange: who changed the task, when, before/after
 * </pre>
 */
public record ZkLayout(String root) {
    public static final String DEFAULT_ROOT = "/datastream";

    public ZkLayout {
        if (root == null || !root.startsWith("/") || (root.length() > 1 && root.endsWith("/")) || root.contains("//")) {
            throw new IllegalArgumentException("zookeeper root must be an absolute path like /datastream, was '" + root + "'");
        }
    }

    public static ZkLayout defaults() {
        return new ZkLayout(DEFAULT_ROOT);
    }

    public String tasks() {
        return join("tasks");
    }

    public String task(String taskId) {
        return tasks() + "/" + taskId;
    }

    public String agents() {
        return join("agents");
    }

    public String agent(String agentId) {
        return agents() + "/" + agentId;
    }

    public String routers() {
        return join("routers");
    }

    public String router(String routerId) {
        return routers() + "/" + routerId;
    }

    public String sinks() {
        return join("sinks");
    }

    public String sink(String sinkId) {
        return sinks() + "/" + sinkId;
    }

    public String audit() {
        return join("audit");
    }

    /** The parent of a task's change records. */
    public String audit(String taskId) {
        return audit() + "/" + taskId;
    }

    private String join(String child) {
        return root.equals("/") ? "/" + child : root + "/" + child;
    }

    /** The last element of a path. */
    public static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
