package io.datastream.registry.task;

import io.datastream.registry.RegistryJson;
import io.datastream.registry.ZkLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Tasks in ZooKeeper, read and written with optimistic concurrency: every update and delete
 * names the version it read, and a stale version is a {@link TaskConflictException}. Each write
 * is one ZooKeeper transaction of the task node and its audit record ({@link TaskChange} under
 * {@code {root}/audit/{taskId}}), so a task is never half-written and never changes without a
 * record of who changed it. The trail keeps the newest {@value #MAX_CHANGES_PER_TASK} changes
 * per task, also after the task is deleted. ZooKeeper being unreachable surfaces as the
 * Curator/ZooKeeper exception (callers answer 503).
 */
public final class TaskStore {
    /** Changes kept per task in the audit trail; older ones are removed after each write. */
    public static final int MAX_CHANGES_PER_TASK = 200;
    private static final String CHANGE_PREFIX = "change-";

    private final CuratorFramework zk;
    private final ZkLayout layout;
    private final LongSupplier clock;

    public TaskStore(CuratorFramework zk, ZkLayout layout) {
        this(zk, layout, System::currentTimeMillis);
    }

    public TaskStore(CuratorFramework zk, ZkLayout layout, LongSupplier clockMillis) {
        this.zk = zk;
        this.layout = layout;
        this.clock = clockMillis;
    }

    /** Creates a new task (validated) on behalf of {@code actor}; a task with the same id is a conflict. */
    public VersionedTask create(TaskSpec spec, String actor) throws Exception {
        spec.validated();
        String path = layout.task(spec.id());
        ensureParents(spec.id());
        List<CuratorTransactionResult> results;
        try {
            results = zk.transaction().forOperations(
                    zk.transactionOp().create().forPath(path, RegistryJson.write(spec)),
                    changeOp(spec.id(), new TaskChange(clock.getAsLong(), actor, TaskChange.Action.CREATED, 0, null, spec)));
        } catch (KeeperException.NodeExistsException e) {
            throw new TaskConflictException("task '" + spec.id() + "' already exists");
        }
        prune(spec.id());
        Stat stat = stat(results, path);
        return new VersionedTask(spec, stat == null ? 0 : stat.getVersion(), stat == null ? clock.getAsLong() : stat.getMtime());
    }

    /** Replaces a task if its current version is {@code expectedVersion}, on behalf of {@code actor}. */
    public VersionedTask update(TaskSpec spec, int expectedVersion, String actor) throws Exception {
        spec.validated();
        VersionedTask before = get(spec.id());
        int version = expectedVersion == -1 ? before.version() : expectedVersion;
        if (before.version() != version) {
            throw conflict(spec.id(), expectedVersion);
        }
        String path = layout.task(spec.id());
        ensureParents(spec.id());
        List<CuratorTransactionResult> results;
        try {
            results = zk.transaction().forOperations(
                    zk.transactionOp().setData().withVersion(version).forPath(path, RegistryJson.write(spec)),
                    changeOp(spec.id(), new TaskChange(clock.getAsLong(), actor, TaskChange.Action.UPDATED, version + 1,
                            before.spec(), spec)));
        } catch (KeeperException.BadVersionException e) {
            throw conflict(spec.id(), expectedVersion);
        } catch (KeeperException.NoNodeException e) {
            throw new TaskNotFoundException(spec.id());
        }
        prune(spec.id());
        Stat stat = stat(results, path);
        return new VersionedTask(spec, stat == null ? version + 1 : stat.getVersion(), stat == null ? clock.getAsLong() : stat.getMtime());
    }

    /** Deletes a task on behalf of {@code actor}; {@code expectedVersion} -1 deletes whatever version is there. */
    public void delete(String taskId, int expectedVersion, String actor) throws Exception {
        VersionedTask before = get(taskId);
        int version = expectedVersion == -1 ? before.version() : expectedVersion;
        if (before.version() != version) {
            throw conflict(taskId, expectedVersion);
        }
        ensureParents(taskId);
        try {
            zk.transaction().forOperations(
                    zk.transactionOp().delete().withVersion(version).forPath(layout.task(taskId)),
                    changeOp(taskId, new TaskChange(clock.getAsLong(), actor, TaskChange.Action.DELETED, version, before.spec(), null)));
        } catch (KeeperException.BadVersionException e) {
            throw conflict(taskId, expectedVersion);
        } catch (KeeperException.NoNodeException e) {
            throw new TaskNotFoundException(taskId);
        }
        prune(taskId);
    }

    /** The task's audit trail, newest first, at most {@code limit} changes; empty when it never existed. */
    public List<TaskChange> history(String taskId, int limit) throws Exception {
        List<String> names;
        try {
            names = new ArrayList<>(zk.getChildren().forPath(layout.audit(taskId)));
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
        names.sort(Collections.reverseOrder());
        List<TaskChange> out = new ArrayList<>();
        for (String n : names) {
            if (out.size() >= limit) {
                break;
            }
            try {
                out.add(RegistryJson.read(zk.getData().forPath(layout.audit(taskId) + "/" + n), TaskChange.class));
            } catch (KeeperException.NoNodeException | IOException e) {
                // pruned meanwhile, or not a change record: not listed
            }
        }
        return out;
    }

    private CuratorOp changeOp(String taskId, TaskChange change) throws Exception {
        return zk.transactionOp().create().withMode(CreateMode.PERSISTENT_SEQUENTIAL)
                .forPath(layout.audit(taskId) + "/" + CHANGE_PREFIX, RegistryJson.write(change));
    }

    /** The task and audit parents exist before the transaction (a transaction cannot create them). */
    private void ensureParents(String taskId) throws Exception {
        for (String p : List.of(layout.tasks(), layout.audit(taskId))) {
            try {
                zk.create().creatingParentsIfNeeded().forPath(p);
            } catch (KeeperException.NodeExistsException e) {
                // there already
            }
        }
    }

    /** Keeps the newest {@link #MAX_CHANGES_PER_TASK} changes; best effort (another writer may prune too). */
    private void prune(String taskId) throws Exception {
        List<String> names = new ArrayList<>(zk.getChildren().forPath(layout.audit(taskId)));
        if (names.size() <= MAX_CHANGES_PER_TASK) {
            return;
        }
        Collections.sort(names);
        for (String n : names.subList(0, names.size() - MAX_CHANGES_PER_TASK)) {
            try {
                zk.delete().forPath(layout.audit(taskId) + "/" + n);
            } catch (KeeperException.NoNodeException e) {
                // pruned by another writer
            }
        }
    }

    private static Stat stat(List<CuratorTransactionResult> results, String path) {
        for (CuratorTransactionResult r : results) {
            if (path.equals(r.getForPath()) && r.getResultStat() != null) {
                return r.getResultStat();
            }
        }
        return null;
    }

    private static TaskConflictException conflict(String taskId, int expectedVersion) {
        return new TaskConflictException("task '" + taskId + "' is not at version " + expectedVersion + " any more; read it again");
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
