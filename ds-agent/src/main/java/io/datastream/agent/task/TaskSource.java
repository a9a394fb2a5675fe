package io.datastream.agent.task;

import io.datastream.registry.task.FieldError;
import io.datastream.registry.task.TaskDirectory;
import io.datastream.registry.task.TaskSpec;
import io.datastream.registry.task.VersionedTask;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks this agent runs: the local ones from its config, plus the ZooKeeper tasks whose host
 * selector matches this agent's host and labels (a local task wins over a ZooKeeper task with the
 * same id). Changes in ZooKeeper reach the listener within moments through the task directory's
 * watch; nothing restarts and nothing is read again.
 */
public final class TaskSource {
    private static final Logger LOG = LoggerFactory.getLogger(TaskSource.class);

    private final Map<String, TaskSpec> local;
    private final String host;
    private final Map<String, String> labels;
    private final Consumer<Map<String, TaskSpec>> listener;
    private Map<String, TaskSpec> current = Map.of();

    public TaskSource(List<TaskSpec> localTasks, String host, Map<String, String> labels, Consumer<Map<String, TaskSpec>> listener) {
        Map<String, TaskSpec> m = new LinkedHashMap<>();
        for (TaskSpec t : localTasks) {
            m.put(t.id(), t);
        }
        this.local = Map.copyOf(m);
        this.host = host;
        this.labels = Map.copyOf(labels);
        this.listener = listener;
    }

    /** Publishes the local tasks (call once at start). */
    public synchronized void start() {
        publish(Map.of());
    }

    /** Follows a task directory (its listener runs on Curator's thread). */
    public void follow(TaskDirectory directory) {
        directory.addListener(this::onTasks);
    }

    synchronized void onTasks(Map<String, VersionedTask> all) {
        publish(all);
    }

    private void publish(Map<String, VersionedTask> zk) {
        Map<String, TaskSpec> next = new LinkedHashMap<>(local);
        for (VersionedTask vt : zk.values()) {
            TaskSpec spec = vt.spec();
            if (!spec.hosts().matches(host, labels)) {
                continue;
            }
            if (local.containsKey(spec.id())) {
                LOG.warn("task {} is defined locally and in ZooKeeper; the local definition wins", spec.id());
                continue;
            }
            List<FieldError> errors = spec.validate();
            if (!errors.isEmpty()) {
                LOG.warn("ignoring invalid task {} from ZooKeeper: {}", spec.id(), errors);
                continue;
            }
            next.put(spec.id(), spec);
        }
        if (!Objects.equals(next, current)) {
            current = Map.copyOf(next);
            LOG.info("running tasks {}", current.keySet());
            listener.accept(current);
        }
    }

    public synchronized Map<String, TaskSpec> current() {
        return current;
    }
}
