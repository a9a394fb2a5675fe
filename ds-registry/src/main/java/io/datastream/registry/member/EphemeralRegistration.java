package io.datastream.registry.member;

import io.datastream.registry.RegistryJson;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;

/**
 * An ephemeral node that stays registered as long as its owner lives: Curator's
 * {@link PersistentNode} re-creates it after a session loss. {@link #update} replaces the data
 * (status, load); the owner calls it every few seconds, also before the node was first created
 * (ZooKeeper down at start): the latest data is then written as soon as the node exists.
 */
public final class EphemeralRegistration implements AutoCloseable {
    private final PersistentNode node;
    private final Object lock = new Object();
    private boolean created;
    private byte[] pending;

    public EphemeralRegistration(CuratorFramework zk, String path, Object initial) {
        this.node = new PersistentNode(zk, CreateMode.EPHEMERAL, false, path, RegistryJson.write(initial), true);
        node.getListenable().addListener(createdPath -> applyPending());
    }

    private void applyPending() throws Exception {
        byte[] data;
        synchronized (lock) {
            created = true;
            data = pending;
            pending = null;
        }
        if (data != null) {
            node.setData(data);
        }
    }

    public EphemeralRegistration start() {
        node.start();
        return this;
    }

    /** Waits until the node exists in ZooKeeper. */
    public boolean awaitCreated(long timeout, TimeUnit unit) throws InterruptedException {
        return node.waitForInitialCreate(timeout, unit);
    }

    /** Replaces the node's data; applied when ZooKeeper is reachable, and kept for re-creation. */
    public void update(Object value) throws Exception {
        byte[] data = RegistryJson.write(value);
        synchronized (lock) {
            if (!created) {
                pending = data;
                return;
            }
        }
        node.setData(data);
    }

    /** Removes the node (deregisters). */
    @Override
    public void close() throws IOException {
        node.close();
    }
}
