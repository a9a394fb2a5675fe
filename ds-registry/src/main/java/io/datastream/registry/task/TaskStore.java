package io.datastream.registry.task;

import io.datastream.registry.RegistryJson;
import io.datastream.registry.ZkLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Tasks in ZooKeeper, read and written with optimistic concurrency: every update and delete
 * names the version it read, and a stale version is a {@link TaskConflictException}. Each write
 * is one ZooKeeper operation, so a task is never half-written. ZooKeeper being unreachable
 * surfaces as the Curator/ZooKeeper exception (callers answer 503).
 */
public final class TaskStore {
    private final CuratorFramework zk;
    private final ZkLayout layout;

    public TaskStore(CuratorFramework zk, ZkLayout layout) {
        this.zk = zk;
        this.layout = layout;
    }

    /** Creates a new task (validated); a task with the same id is a conflict. */
    public VersionedTask create(TaskSpec spec) throws Exception {
        spec.validated();
        Stat stat = new Stat();
        try {
            zk.create().creatingParentContainersIfNeeded().storingStatIn(stat).forPath(layout.task(spec.id()), RegistryJson.write(spec));
        } catch (KeeperException.NodeExistsException e) {
            throw new TaskConflictException("task '" + spec.id() + "' already exists");
        }
        return new VersionedTask(spec, stat.getVersion(), stat.getMtime());
    }

    /** Replaces a task if its current version is {@code expectedVersion}. */
    public VersionedTask update(TaskSpec spec, int expectedVersion) throws Exception {
        spec.validated();
        Stat stat;
        try {
            stat = zk.setData().withVersion(expectedVersion).forPath(layout.task(spec.id()), RegistryJson.write(spec));
        } catch (KeeperException.BadVersionException e) {
            throw new TaskConflictException("task '" + spec.id() + "' is not at version " + expectedVersion + " any more; read it again");
        } catch (KeeperException.NoNodeException e) {
            throw new TaskNotFoundException(spec.id());
        }
        return new VersionedTask(spec, stat.getVersion(), stat.getMtime());
    }

    /** Deletes a task; {@code expectedVersion} -1 deletes whatever version is there. */
    public void delete(String taskId, int expectedVersion) throws Exception {
        try {
            zk.delete().withVersion(expectedVersion).forPath(layout.task(taskId));
        } catch (KeeperException.BadVersionException e) {
            throw new TaskConflictException("task '" + taskId + "' is not at version " + expectedVersion + " any more; read it again");
        } catch (KeeperException.NoNodeException e) {
            throw new TaskNotFoundException(taskId);
        }
    }

    public VersionedTask get(String taskId) throws Exception {
        Stat stat = new Stat();
        byte[] data;
        try {
            data = zk.getData().storingStatIn(stat).forPath(layout.task(taskId));
        } catch (KeeperException.NoNodeException e) {
            throw new TaskNotFoundException(taskId);
        }
        return new VersionedTask(read(taskId, data), stat.getVersion(), stat.getMtime());
    }

    /** Every task, sorted by id. A node that does not parse is skipped (and logged by the caller's directory). */
    public List<VersionedTask> list() throws Exception {
        List<String> ids;
        try {
            ids = new ArrayList<>(zk.getChildren().forPath(layout.tasks()));
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
        Collections.sort(ids);
        List<VersionedTask> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            try {
                out.add(get(id));
            } catch (TaskNotFoundException | IOException e) {
                // deleted meanwhile, or not a task: not listed
            }
        }
        return out;
    }

    static TaskSpec read(String taskId, byte[] data) throws IOException {
        TaskSpec spec = RegistryJson.read(data, TaskSpec.class);
        if (!taskId.equals(spec.id())) {
            throw new IOException("node " + taskId + " holds task '" + spec.id() + "'");
        }
        return spec;
    }
}
