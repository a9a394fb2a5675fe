package io.datastream.registry.member;

import io.datastream.registry.RegistryJson;
import io.datastream.registry.ZkLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live members under one path (routers or agents), kept by a ZooKeeper watch.
 *
 * <pre>
 * MemberDirectory&lt;RouterInfo&gt; routers = MemberDirectory.routers(zk, layout).start();
 * List&lt;RouterInfo&gt; now = routers.members();
 * </pre>
 */
public final class MemberDirectory<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemberDirectory.class);

    private final String parent;
    private final Class<T> type;
    private final CuratorCache cache;
    private final Map<String, T> members = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<String, T>> removalListeners = new CopyOnWriteArrayList<>();

    private MemberDirectory(CuratorFramework zk, String parent, Class<T> type) {
        this.parent = parent;
        this.type = type;
        this.cache = CuratorCache.build(zk, parent);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((oldNode, node) -> put(node))
                .forDeletes(this::remove)
                .forInitialized(this::fire)
                .build());
    }

    public static MemberDirectory<RouterInfo> routers(CuratorFramework zk, ZkLayout layout) {
        return new MemberDirectory<>(zk, layout.routers(), RouterInfo.class);
    }

    public static MemberDirectory<AgentInfo> agents(CuratorFramework zk, ZkLayout layout) {
        return new MemberDirectory<>(zk, layout.agents(), AgentInfo.class);
    }

    public static MemberDirectory<SinkInfo> sinks(CuratorFramework zk, ZkLayout layout) {
        return new MemberDirectory<>(zk, layout.sinks(), SinkInfo.class);
    }

    /** Called after every change (on Curator's event thread: keep it short). */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    /**
     * Called with a member's id and its last published value when its node went away, before the
     * listeners of {@link #addListener} (on Curator's event thread: keep it short).
     */
    public void addRemovalListener(BiConsumer<String, T> listener) {
        removalListeners.add(listener);
    }

    public MemberDirectory<T> start() {
        cache.start();
        return this;
    }

    /** A direct child, except names starting with '_' (the node that keeps a provisioned parent, {@code _keep}). */
    private boolean isMember(String path) {
        return path.startsWith(parent + "/") && path.indexOf('/', parent.length() + 1) < 0 && path.charAt(parent.length() + 1) != '_';
    }

    private void put(ChildData node) {
        if (!isMember(node.getPath())) {
            return;
        }
        try {
            members.put(ZkLayout.name(node.getPath()), RegistryJson.read(node.getData(), type));
            fire();
        } catch (IOException e) {
            LOG.warn("ignoring member node {}: {}", node.getPath(), e.getMessage());
        }
    }

    private void remove(ChildData node) {
        if (!isMember(node.getPath())) {
            return;
        }
        String id = ZkLayout.name(node.getPath());
        T last = members.remove(id);
        if (last != null) {
            for (BiConsumer<String, T> l : removalListeners) {
                try {
                    l.accept(id, last);
                } catch (RuntimeException e) {
                    LOG.warn("member removal listener failed", e);
                }
            }
            fire();
        }
    }

    private void fire() {
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.warn("member listener failed", e);
            }
        }
    }

    /** The members now, in no particular order. */
    public List<T> members() {
        return new ArrayList<>(members.values());
    }

    /** One member by id, or null. */
    public T get(String id) {
        return members.get(id);
    }

    public int size() {
        return members.size();
    }

    @Override
    public void close() {
        cache.close();
    }
}
