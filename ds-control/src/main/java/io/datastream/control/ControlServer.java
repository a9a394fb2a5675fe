package io.datastream.control;

import io.datastream.control.api.RestApi;
import io.datastream.control.inventory.MemberIndex;
import io.datastream.control.metrics.ControlMetrics;
import io.datastream.control.zk.ZkGate;
import io.datastream.registry.ZkLayout;
import io.datastream.registry.member.AgentInfo;
import io.datastream.registry.member.MemberDirectory;
import io.datastream.registry.member.RouterInfo;
import io.datastream.registry.member.SinkInfo;
import io.datastream.registry.task.TaskStore;
import io.datastream.control.ops.OpsPlane;
import io.datastream.control.ops.alert.AlertScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control server: the REST API in front of the tasks, agents and routers that ZooKeeper
 * holds. ZooKeeper is the truth; the server keeps only watch-fed views of the live agents and
 * routers, so any number of control servers can run side by side.
 *
 * <pre>
 * try (ControlServer server = ControlServer.start(ControlConfig.fromYaml("http: {port: 0}"))) {
 *     URI api = URI.create("http://localhost:" + server.port() + "/api/v1/tasks");
 * }
 * </pre>
 *
 * It starts even when ZooKeeper is not reachable (the API answers 503 until it is), and
 * recovers by itself when ZooKeeper comes back.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    private static final int ZK_THREADS = 8;
    private static final int ZK_QUEUE = 256;

    private final ControlConfig config;
    private final CuratorFramework zk;
    private final ZkGate gate;
    private final MemberIndex<AgentInfo> agents;
    private final MemberIndex<RouterInfo> routers;
    private final MemberIndex<SinkInfo> sinks;
    private final RestApi api;
    private final OpsPlane ops;

    private ControlServer(ControlConfig config, CuratorFramework zk, ZkGate gate, MemberIndex<AgentInfo> agents,
                          MemberIndex<RouterInfo> routers, MemberIndex<SinkInfo> sinks, RestApi api, OpsPlane ops) {
        this.config = config;
        this.zk = zk;
        this.gate = gate;
        this.agents = agents;
        this.routers = routers;
        this.sinks = sinks;
        this.api = api;
        this.ops = ops;
    }

    /**
     * Connects to ZooKeeper (waiting up to {@code zookeeper.operationTimeoutMs} for the first
     * connection, then going on without it), starts the agent and router watches, and serves the
     * API on {@code http.host}:{@code http.port}.
     *
     * @throws IllegalStateException if the HTTP port cannot be bound
     */
    public static ControlServer start(ControlConfig cfg) {
        return start(cfg, Clock.systemUTC());
    }

    /** {@link #start(ControlConfig)} with the clock the metrics store, audit and alerts use (tests: a manual one). */
    public static ControlServer start(ControlConfig cfg, Clock clock) {
        ZkLayout layout = cfg.layout();
        Duration opTimeout = Duration.ofMillis(cfg.zookeeper().operationTimeoutMs());
        CuratorFramework zk = ZkGate.newClient(cfg.zookeeper().connect(), Duration.ofMillis(cfg.zookeeper().sessionTimeoutMs()), opTimeout,
                cfg.zookeeper().credentials(), layout);
        ZkGate gate = null;
        MemberIndex<AgentInfo> agents = null;
        MemberIndex<RouterInfo> routers = null;
        MemberIndex<SinkInfo> sinks = null;
        OpsPlane ops = null;
        try {
            ops = OpsPlane.start(cfg, clock);
            gate = new ZkGate(zk, cfg.zookeeper().connect(), opTimeout, ZK_THREADS, ZK_QUEUE);
            if (!zk.blockUntilConnected((int) opTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("ZooKeeper at {} is not reachable yet; the API answers 503 until it is", cfg.zookeeper().connect());
            }
            agents = new MemberIndex<>(MemberDirectory.agents(zk, layout), AgentInfo::id, clock).start();
            routers = new MemberIndex<>(MemberDirectory.routers(zk, layout), RouterInfo::id, clock).start();
            sinks = new MemberIndex<>(MemberDirectory.sinks(zk, layout), SinkInfo::id).start();
            MemberIndex<AgentInfo> a = agents;
            MemberIndex<RouterInfo> r = routers;
            ControlMetrics metrics = new ControlMetrics(gate::connected, a::size, r::size);
            metrics.store(ops.store()::droppedReports, ops.store()::queued, ops.store()::rowsWritten);
            metrics.membersDown(() -> a.down().size(), () -> r.down().size(), a::downForgotten, r::downForgotten);
            AlertScheduler alerts = ops.startAlerts(cfg, agents);
            metrics.webhooks(alerts.notifier()::attempts, alerts.notifier()::failedAttempts, alerts.notifier()::givenUp,
                    alerts.notifier()::dropped);
            RestApi api = new RestApi(cfg, new TaskStore(zk, layout), gate, agents, routers, sinks, metrics, ops);
            try {
                api.start(cfg.http().host(), cfg.http().port());
            } catch (RuntimeException e) {
                api.close();
                throw new IllegalStateException("cannot serve HTTP on " + cfg.http().host() + ":" + cfg.http().port()
                        + " (http.host/http.port): " + e.getMessage(), e);
            }
            LOG.info("ds control listening on http://{}:{} (ZooKeeper {} root {})", cfg.http().host(), api.port(),
                    cfg.zookeeper().connect(), layout.root());
            return new ControlServer(cfg, zk, gate, agents, routers, sinks, api, ops);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeAll(sinks, routers, agents, gate, zk, ops);
            throw new IllegalStateException("interrupted while starting", e);
        } catch (RuntimeException e) {
            closeAll(sinks, routers, agents, gate, zk, ops);
            throw e;
        }
    }

    /** The HTTP port bound (the actual one when {@code http.port} is 0). */
    public int port() {
        return api.port();
    }

    /** {@code http://localhost:port}: the URL a local client (such as {@code ds ctl}) uses. */
    public String localUrl() {
        return "http://localhost:" + port();
    }

    public ControlConfig config() {
        return config;
    }

    /** Every HTTP route served (method and path template), as registered. */
    public List<RestApi.Route> routes() {
        return api.routes();
    }

    /** The metrics store, audit and alerts; {@code ops().store().ingest(report)} feeds minute reports in-process. */
    public OpsPlane ops() {
        return ops;
    }

    /** True while connected to ZooKeeper. */
    public boolean zooKeeperConnected() {
        return gate.connected();
    }

    /** Stops serving, then closes the watches and the ZooKeeper session. */
    @Override
    public void close() {
        try {
            api.close();
        } finally {
            closeAll(sinks, routers, agents, gate, zk, ops);
        }
    }

    private static void closeAll(AutoCloseable... closeables) {
        for (AutoCloseable c : closeables) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
