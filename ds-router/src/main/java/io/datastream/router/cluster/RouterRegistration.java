package io.datastream.router.cluster;

import io.datastream.registry.ZkClients;
import io.datastream.registry.ZkLayout;
import io.datastream.registry.member.EphemeralRegistration;
import io.datastream.registry.member.MemberDirectory;
import io.datastream.registry.member.RouterInfo;
import io.datastream.router.config.ZooKeeperConfig;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's ephemeral node {root}/routers/{id} with its {@link RouterInfo}, rewritten every
 * refresh interval (load, connections, draining), and the directory of all routers.
 */
public final class RouterRegistration implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RouterRegistration.class);

    private final String selfId;
    private final CuratorFramework zk;
    private final EphemeralRegistration node;
    private final MemberDirectory<RouterInfo> routers;
    private final Supplier<RouterInfo> info;
    private final ScheduledFuture<?> refresh;

    private RouterRegistration(String selfId, CuratorFramework zk, EphemeralRegistration node, MemberDirectory<RouterInfo> routers,
                               Supplier<RouterInfo> info, ScheduledExecutorService scheduler, long refreshMillis) {
        this.selfId = selfId;
        this.zk = zk;
        this.node = node;
        this.routers = routers;
        this.info = info;
        this.refresh = scheduler.scheduleWithFixedDelay(this::refresh, refreshMillis, refreshMillis, TimeUnit.MILLISECONDS);
    }

    /** Connects, creates the node and starts watching the routers; ZooKeeper need not be up yet (Curator retries). */
    public static RouterRegistration start(ZooKeeperConfig cfg, String selfId, Supplier<RouterInfo> info, ScheduledExecutorService scheduler) {
        ZkLayout layout = new ZkLayout(cfg.root());
        CuratorFramework zk = ZkClients.start(cfg.connect(), Duration.ofMillis(cfg.sessionTimeoutMs()), cfg.credentials(), layout);
        EphemeralRegistration node = new EphemeralRegistration(zk, layout.router(selfId), info.get()).start();
        MemberDirectory<RouterInfo> routers = MemberDirectory.routers(zk, layout).start();
        return new RouterRegistration(selfId, zk, node, routers, info, scheduler, cfg.refreshIntervalMs());
    }

    /** Rewrites the node now (once it exists: until then the next refresh will). */
    public void refresh() {
        try {
            if (!node.awaitCreated(0, TimeUnit.MILLISECONDS)) {
                return;
            }
            node.update(info.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("could not update router registration: {}", e.toString());
        }
    }

    /** The ZooKeeper client (shared by other watchers of the router, e.g. the task assignments). */
    public CuratorFramework client() {
        return zk;
    }

    /** Waits until the node exists. */
    public boolean awaitRegistered(long timeout, TimeUnit unit) throws InterruptedException {
        return node.awaitCreated(timeout, unit);
    }

    /** The other live routers that accept agents, least loaded first. */
    public List<RouterInfo> others() {
        return routers.members().stream()
                .filter(r -> !r.id().equals(selfId) && !r.draining())
                .sorted(Comparator.comparingDouble(RouterInfo::load))
                .toList();
    }

    /** Addresses of up to {@code max} other routers, least loaded first (for GOAWAY). */
    public List<String> suggestions(int max) {
        return others().stream().limit(max).map(RouterInfo::address).toList();
    }

    /** Removes the node (deregisters) and disconnects. */
    @Override
    public void close() {
        refresh.cancel(false);
        try {
            node.close();
        } catch (Exception e) {
            LOG.warn("could not remove router registration: {}", e.toString());
        }
        routers.close();
        zk.close();
    }
}
