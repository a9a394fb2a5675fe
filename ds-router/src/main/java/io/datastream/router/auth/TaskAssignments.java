package io.datastream.router.auth;

import io.datastream.registry.ZkLayout;
import io.datastream.registry.member.AgentInfo;
import io.datastream.registry.member.MemberDirectory;
import io.datastream.registry.task.TaskDirectory;
import io.datastream.registry.task.TaskSpec;
import io.datastream.registry.task.VersionedTask;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;

/**
 * {@code auth.onlyAssignedTasks}: what ZooKeeper assigns to each agent, from watch-fed caches of
 * the tasks and of the agents' registrations (for their labels). A batch may be written only if
 * its task is in ZooKeeper, the task's host selector matches the connection's host (the HELLO's)
 * and the agent's registered labels, and the topic it is routed to is the task's topic (any
 * topic but internal ones when the task names none). Until the tasks are first loaded every
 * batch is answered "retry later". Thread-safe: read by every event loop.
 */
public final class TaskAssignments implements AutoCloseable {
    /** The outcome for one batch's task. */
    public enum Verdict {
        ASSIGNED,
        /** The tasks have not been loaded from ZooKeeper yet. */
        NOT_LOADED,
        /** The task is not in ZooKeeper. */
        UNKNOWN_TASK,
        /** The task's host selector does not match the agent. */
        NOT_ASSIGNED
    }

    private volatile TaskDirectory tasks;
    private volatile MemberDirectory<AgentInfo> agents;

    /** Starts watching on {@code zk} (the router's registration client); before this every batch is NOT_LOADED. */
    public synchronized void start(CuratorFramework zk, ZkLayout layout) {
        MemberDirectory<AgentInfo> a = MemberDirectory.agents(zk, layout).start();
        agents = a;
        tasks = new TaskDirectory(zk, layout).start();
    }

    /** Whether {@code taskId} is assigned to the agent {@code agentId} on {@code host}. */
    public Verdict check(String agentId, String host, String taskId) {
        TaskDirectory t = tasks;
        if (t == null || !t.initialized()) {
            return Verdict.NOT_LOADED;
        }
        VersionedTask task = t.get(taskId);
        if (task == null) {
            return Verdict.UNKNOWN_TASK;
        }
        AgentInfo info = agents.get(agentId);
        Map<String, String> labels = info == null ? Map.of() : info.labels();
        return task.spec().hosts().matches(host, labels) ? Verdict.ASSIGNED : Verdict.NOT_ASSIGNED;
    }

    /**
     * Whether a batch of {@code taskId} may be routed to {@code topic}: the task's topic, or any
     * when the task names none (internal topics are refused separately, for every identity).
     */
    public boolean topicAllowed(String taskId, String topic) {
        TaskDirectory t = tasks;
        VersionedTask task = t == null ? null : t.get(taskId);
        if (task == null) {
            return false;
        }
        TaskSpec spec = task.spec();
        return spec.topic() == null || spec.topic().equals(topic);
    }

    /** The task's topic, for messages (null = none named). */
    public String topicOf(String taskId) {
        TaskDirectory t = tasks;
        VersionedTask task = t == null ? null : t.get(taskId);
        return task == null ? null : task.spec().topic();
    }

    @Override
    public synchronized void close() {
        if (tasks != null) {
            tasks.close();
        }
        if (agents != null) {
            agents.close();
        }
    }
}
