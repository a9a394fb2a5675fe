package io.datastream.registry.task;

import io.datastream.registry.ZkLayout;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live view of every task, kept by a ZooKeeper watch (Curator's {@link CuratorCache}); agents
 * use it to pick up task changes within moments, without polling. Listeners get the full
 * current map after each change, on Curator's event thread: keep them short.
 */
public final class TaskDirectory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskDirectory.class);

    private final ZkLayout layout;
    private final CuratorCache cache;
    private final Map<String, VersionedTask> tasks = new ConcurrentHashMap<>();
    private final List<Consumer<Map<String, VersionedTask>>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean initialized;

    public TaskDirectory(CuratorFramework zk, ZkLayout layout) {
        this.layout = layout;
        this.cache = CuratorCache.build(zk, layout.tasks());
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((oldNode, node) -> put(node))
                .forDeletes(this::remove)
                .forInitialized(() -> {
                    initialized = true;
                    fire();
                })
                .build());
    }

    /** Subscribes; the listener is also called once the initial load is done. */
    public void addListener(Consumer<Map<String, VersionedTask>> listener) {
        listeners.add(listener);
    }

    public TaskDirectory start() {
        cache.start();
        return this;
    }

    private boolean isTask(String path) {
        return path.startsWith(layout.tasks() + "/") && path.indexOf('/', layout.tasks().length() + 1) < 0;
    }

    private void put(ChildData node) {
        if (!isTask(node.getPath())) {
            return;
        }
        String id = ZkLayout.name(node.getPath());
        try {
            VersionedTask t = new VersionedTask(TaskStore.read(id, node.getData()), node.getStat().getVersion(), node.getStat().getMtime());
            VersionedTask old = tasks.put(id, t);
            if (old == null || old.version() != t.version()) {
                fire();
            }
        } catch (IOException e) {
            LOG.warn("ignoring task node {}: {}", node.getPath(), e.getMessage());
        }
    }

    private void remove(ChildData node) {
        if (isTask(node.getPath()) && tasks.remove(ZkLayout.name(node.getPath())) != null) {
            fire();
        }
    }

    private void fire() {
        Map<String, VersionedTask> snapshot = Map.copyOf(tasks);
        for (Consumer<Map<String, VersionedTask>> l : listeners) {
            try {
                l.accept(snapshot);
            } catch (RuntimeException e) {
                LOG.warn("task listener failed", e);
            }
        }
    }

    /** Whether the first full load from ZooKeeper is done (later changes keep coming). */
    public boolean initialized() {
        return initialized;
    }

    /** One task now, or null; no copy of the map. */
    public VersionedTask get(String taskId) {
        return tasks.get(taskId);
    }

    /** The tasks known now. */
    public Map<String, VersionedTask> tasks() {
        return Map.copyOf(tasks);
    }

    @Override
    public void close() {
        cache.close();
    }
}
