package io.datastream.router;

import io.datastream.protocol.ProtocolVersion;
import io.datastream.protocol.frame.GoAwayReason;
import io.datastream.registry.member.RouterInfo;
import io.datastream.router.cluster.MigrationController;
import io.datastream.router.cluster.MigrationPolicy;
import io.datastream.router.cluster.RouterRegistration;
import io.datastream.router.auth.TaskAssignments;
import io.datastream.registry.ZkLayout;
import io.datastream.router.config.RouteMode;
import io.datastream.router.credit.CreditPolicy;
import io.datastream.router.credit.CreditPump;
import io.datastream.router.credit.MemoryPool;
import io.datastream.router.http.Health;
import io.datastream.router.http.HttpEndpoint;
import io.datastream.router.auth.AgentCredentials;
import io.datastream.router.auth.AuthMetrics;
import io.datastream.router.http.RouterMetrics;
import io.datastream.router.kafka.DeliveryProgress;
import io.datastream.router.kafka.KafkaSender;
import io.datastream.router.kafka.PartitionStrategies;
import io.datastream.router.kafka.ProducerSettings;
import io.datastream.router.report.RouterReports;
import io.datastream.router.route.RouteTable;
import io.datastream.router.server.ChannelRouteMetrics;
import io.datastream.router.server.ChannelTarget;
import io.datastream.router.server.Connection;
import io.datastream.router.server.Connections;
import io.datastream.router.server.RouterServer;
import io.datastream.router.server.ServerContext;
import io.datastream.router.server.ServerSettings;
import io.datastream.router.server.TlsContexts;
import io.datastream.router.source.EventPipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running router.
 *
 * <pre>
 * try (Router router = Router.start(RouterConfig.fromYaml("listen: {port: 0}\nhttp: {port: 0}"))) {
 *     int port = router.port();   // agents connect here
 * }                               // close() drains: GOAWAY(DRAIN), wait for Kafka, deregister
 * </pre>
 */
public final class Router implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    /** The software version published in ZooKeeper. */
    public static final String VERSION = versionOf();

    private final RouterConfig cfg;
    private final MemoryPool pool;
    private final Connections connections;
    private final Map<RouteMode, KafkaSender> senders;
    private final List<AutoCloseable> resources;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile boolean draining;
    private RouterServer server;
    private HttpEndpoint http;
    private RouterRegistration registration;
    private TaskAssignments assignments;
    private ScheduledExecutorService scheduler;
    private RouterMetrics metrics;
    private RouterReports reports = RouterReports.off();
    private CreditPump pump;
    private EventPipeline events;

    private Router(RouterConfig cfg) {
        this.cfg = cfg;
        this.pool = new MemoryPool(cfg.pool().capacityBytes());
        this.connections = new Connections(cfg.limits().maxConnections());
        this.senders = new EnumMap<>(RouteMode.class);
        this.resources = new ArrayList<>();
    }

    /**
     * Starts a router: validates the configuration, binds the ds protocol and HTTP ports,
     * creates the Kafka producers (they connect lazily) and registers in ZooKeeper if configured.
     *
     * @throws io.datastream.router.config.ConfigException for an invalid configuration
     * @throws RouterStartException when a port cannot be bound or TLS files cannot be read
     */
    public static Router start(RouterConfig cfg) {
        cfg.validate();
        Router r = new Router(cfg);
        try {
            r.startAll();
            return r;
        } catch (Exception e) {
            r.halt();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new RouterStartException("router " + cfg.id() + " did not start: " + e.getMessage(), e);
        }
    }

    private void startAll() throws Exception {
        LongSupplier clock = System::nanoTime;
        RouteTable routes = cfg.routeTable();
        String prefix = "ds-router-" + cfg.id();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, prefix + "-control");
            t.setDaemon(true);
            return t;
        });
        metrics = new RouterMetrics(connections::count, pool, () -> draining, this::queued);
        DeliveryProgress progress = new DeliveryProgress(clock);
        for (RouteMode mode : modesInUse(routes)) {
            KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ProducerSettings.forMode(cfg.id(), cfg.kafka(), cfg.pool(), cfg.limits(), mode));
            senders.put(mode, new KafkaSender(prefix + "-sender-" + mode.configName(), producer, mode, cfg.kafka().linesHeaders(), 65_536,
                    metrics, progress, clock).start());
        }
        CreditPolicy credit = new CreditPolicy(pool, cfg.pool().effectiveMinWindow(cfg.limits()), cfg.pool().effectiveMaxWindow());
        pump = new CreditPump(pool, Math.min(64 << 10, credit.minWindow()), scheduler, 20);
        ServerSettings settings = new ServerSettings(cfg.id(), cfg.heartbeat().intervalMs(), cfg.heartbeat().timeoutMs(),
                cfg.limits().maxBatchBytes(), cfg.protocolLimits(), cfg.limits().maxConnections(), cfg.migration().closeAfterMs(),
                TlsContexts.agents(cfg.tls()));
        PartitionStrategies strategies = new PartitionStrategies(cfg.kafka().loadAware(), clock);
        strategies.registerMetrics(metrics.registry());
        reports = RouterReports.create(cfg.reports().settings(), cfg.id(), System::currentTimeMillis);
        reports.register(metrics.registry());
        if (cfg.auth().onlyAssignedTasks()) {
            assignments = new TaskAssignments();
            resources.add(assignments);
        }
        // before the ds server: routes may put batches into its channels
        if (cfg.httpSource().enabled()) {
            events = EventPipeline.start(cfg.httpSource(), new EventPipeline.Settings(cfg.id(), cfg.advertisedHost(), pool,
                    senders.get(RouteMode.ENVELOPE).producer(), strategies, cfg.kafka().partitionerKind(),
                    cfg.httpSource().tls() ? TlsContexts.server(cfg.tls()) : null, metrics.registry(), reports));
            LOG.info("router {}: HTTP event source on {}:{}", cfg.id(), cfg.httpSource().host(), events.port());
        }
        Map<String, ChannelTarget> channelTargets = new HashMap<>();
        for (String name : routes.channels()) {
            channelTargets.put(name, new ChannelTarget(events.channels().get(name), events.kafkaTopics(name)));
        }
        ServerContext ctx = new ServerContext(settings, pool, credit, pump, metrics, connections, routes,
                strategies, Map.copyOf(senders), () -> draining, clock, new AuthMetrics(metrics.registry()),
                AgentCredentials.of(cfg.auth()), reports, assignments, Map.copyOf(channelTargets), new ChannelRouteMetrics(metrics.registry()));
        server = RouterServer.bind(cfg.listen().host(), cfg.listen().port(), cfg.listen().workerThreads(), cfg.listen().transport(), ctx, prefix);
        EventPipeline pipeline = events;
        Health health = new Health(() -> draining, progress::stalledNanos, TimeUnit.MILLISECONDS.toNanos(cfg.health().kafkaStallMs()),
                () -> pipeline == null ? "" : pipeline.healthNotes(), () -> pipeline == null ? "" : pipeline.healthDetails());
        http = HttpEndpoint.start(cfg.http().host(), cfg.http().port(), metrics.registry(), health, connections, prefix + "-http");
        if (cfg.zookeeper().enabled()) {
            registration = RouterRegistration.start(cfg.zookeeper(), cfg.id(), this::info, scheduler);
            if (assignments != null) {
                assignments.start(registration.client(), new ZkLayout(cfg.zookeeper().root()));
            }
            if (cfg.migration().enabled()) {
                resources.add(new MigrationController(new MigrationPolicy(cfg.migration()), registration, pool, connections, scheduler,
                        cfg.migration().checkIntervalMs()));
            }
        }
        reports.start();
        LOG.info("router {} listening on {}:{} ({}), http on {}, Kafka {}", cfg.id(), cfg.listen().host(), server.port(),
                server.isEpoll() ? "epoll" : "nio", http.port(), cfg.kafka().bootstrapServers());
    }

    private static List<RouteMode> modesInUse(RouteTable routes) {
        List<RouteMode> modes = new ArrayList<>();
        modes.add(RouteMode.ENVELOPE);
        if (routes.usesMode(RouteMode.LINES)) {
            modes.add(RouteMode.LINES);
        }
        return modes;
    }

    private int queued() {
        int n = 0;
        for (KafkaSender s : senders.values()) {
            n += s.queued();
        }
        return n;
    }

    /** What this router publishes in ZooKeeper now. */
    public RouterInfo info() {
        return new RouterInfo(cfg.id(), cfg.advertisedHost(), port(), httpPort(), VERSION, ProtocolVersion.MIN_SUPPORTED,
                ProtocolVersion.MAX_SUPPORTED, pool.capacity(), pool.used(), connections.count(), draining, System.currentTimeMillis());
    }

    /** The bound ds protocol port. */
    public int port() {
        return server == null ? -1 : server.port();
    }

    /** The bound port of the HTTP event source, or -1 when it is off. */
    public int eventsPort() {
        return events == null ? -1 : events.port();
    }

    /** The HTTP event source with its channels and sinks, or null when it is off. */
    public EventPipeline eventPipeline() {
        return events;
    }

    /** The bound HTTP port (health, metrics). */
    /** The router's minute reports to control (off without {@code reports.controlUrl}). */
    public RouterReports reports() {
        return reports;
    }

    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    public String id() {
        return cfg.id();
    }

    public RouterConfig config() {
        return cfg;
    }

    public boolean isDraining() {
        return draining;
    }

    /** Bytes held by batches Kafka has not acknowledged yet. */
    public long poolUsedBytes() {
        return pool.used();
    }

    /** Agent connections now. */
    public int connectionCount() {
        return connections.count();
    }

    /**
     * Graceful shutdown: marks the router draining (health 503, ZooKeeper node updated), stops
     * accepting, sends GOAWAY(DRAIN) to every agent, waits up to drain.timeoutMs for the batches
     * in flight to be acknowledged by Kafka, then closes the connections and deregisters.
     * Idempotent.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(cfg.drain().timeoutMs());
        draining = true;
        if (registration != null) {
            registration.refresh();
        }
        if (server != null) {
            server.stopAccepting();
        }
        if (events != null) {
            events.stopAccepting();
        }
        List<String> suggested = registration == null ? List.of() : registration.suggestions(cfg.migration().maxSuggested());
        for (Connection c : connections.snapshot()) {
            c.goAway(GoAwayReason.DRAIN, suggested, "router " + cfg.id() + " is shutting down");
        }
        boolean drained = false;
        try {
            drained = pool.awaitEmpty(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!drained) {
            LOG.warn("router {}: {} bytes of batches still unacknowledged after {} ms; the agents will re-send them", cfg.id(), pool.used(),
                    cfg.drain().timeoutMs());
        }
        stop(Duration.ofMillis(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
        LOG.info("router {} stopped", cfg.id());
    }

    /**
     * Stops at once, as a crash would look to the agents: connections are closed without GOAWAY
     * and unacknowledged batches are left for the agents to re-send. For tests and emergencies;
     * also cuts short a {@link #close()} in progress.
     */
    public void halt() {
        closing.set(true);
        draining = true;
        if (server != null) {
            server.stopAccepting();
        }
        stop(Duration.ZERO);
    }

    private void stop(Duration producerTimeout) {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        for (Connection c : connections.snapshot()) {
            c.close();
        }
        for (AutoCloseable r : resources) {
            closeQuietly(r);
        }
        if (registration != null) {
            closeQuietly(registration);
        }
        if (events != null) {
            events.close(producerTimeout);
        }
        for (KafkaSender s : senders.values()) {
            s.close(producerTimeout);
        }
        closeQuietly(reports); // after the senders: their last acknowledgements are counted
        closeQuietly(http);
        closeQuietly(server);
        closeQuietly(pump);
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("error while closing {}: {}", c.getClass().getSimpleName(), e.toString());
        }
    }

    private static String versionOf() {
        String v = Router.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
