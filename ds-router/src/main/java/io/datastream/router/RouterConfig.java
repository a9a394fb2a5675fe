package io.datastream.router;

import io.datastream.config.Doc;

import com.fasterxml.jackson.databind.JsonNode;
import io.datastream.config.ConfigBinder;
import io.datastream.config.Problems;
import io.datastream.protocol.ProtocolLimits;
import io.datastream.protocol.frame.BatchFrame;
import io.datastream.router.config.AuthConfig;
import io.datastream.router.config.ReportsConfig;
import io.datastream.router.config.ConfigErrors;
import io.datastream.router.config.ConfigException;
import io.datastream.router.config.DefaultRouteConfig;
import io.datastream.router.config.DrainConfig;
import io.datastream.router.config.HealthConfig;
import io.datastream.router.config.HeartbeatConfig;
import io.datastream.router.config.HttpConfig;
import io.datastream.router.config.HttpSourceConfig;
import io.datastream.router.config.KafkaConfig;
import io.datastream.router.config.LimitsConfig;
import io.datastream.router.config.ListenConfig;
import io.datastream.router.config.MigrationConfig;
import io.datastream.router.config.PoolConfig;
import io.datastream.router.config.RouteConfig;
import io.datastream.router.config.TlsConfig;
import io.datastream.router.config.ZooKeeperConfig;
import io.datastream.router.kafka.ProducerSettings;
import io.datastream.router.route.RouteTable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The router's whole configuration, read from one YAML file. Every key has a default (see
 * docs/router.md), so {@link #defaults()} runs a router on localhost; unknown keys are errors, and
 * every value is checked before anything starts, each problem reported with its key path.
 *
 * <pre>
 * RouterConfig cfg = RouterConfig.fromYaml("""
 *     listen: {port: 0}
 *     kafka: {bootstrapServers: "localhost:9092"}
 *     routes:
 *       - when: 'header.logType == "jvm"'
 *         topic: logs-jvm
 *     """);
 * </pre>
 */
public record RouterConfig(
        @Doc(defaultText = "`router-` + host name", value = "unique router id; the ZooKeeper node name (no `/`)")
        String id,
        @Doc("address published in ZooKeeper and in GOAWAY suggestions")
        String advertisedHost,
        @Doc("the ds protocol server agents connect to")
        ListenConfig listen,
        @Doc("the metrics and health endpoint")
        HttpConfig http,
        @Doc("which agents may connect and what each may write ([security.md](security.md#agent-identity-and-what-an-agent-may-write))")
        AuthConfig auth,
        @Doc("TLS on the ds port ([security.md](security.md#tls-between-agents-and-routers))")
        TlsConfig tls,
        @Doc("limits of connections and batches")
        LimitsConfig limits,
        @Doc("liveness of agent connections")
        HeartbeatConfig heartbeat,
        @Doc("the memory pool batches are held in until Kafka acknowledges them, and the credit windows granted from it")
        PoolConfig pool,
        @Doc("the Kafka producer")
        KafkaConfig kafka,
        @Doc("registration in ZooKeeper (routers found by agents, migration)")
        ZooKeeperConfig zookeeper,
        @Doc("rules choosing a batch's topic, in order; the first match wins ([Routing](#routing))")
        List<RouteConfig> routes,
        @Doc("the route of batches no rule took and without a `ds.topic` header")
        DefaultRouteConfig defaultRoute,
        @Doc("moving agents from an overloaded router to less loaded ones")
        MigrationConfig migration,
        @Doc("a graceful stop")
        DrainConfig drain,
        @Doc("when /health answers 503")
        HealthConfig health,
        @Doc("the HTTP event source ([HTTP event source](#http-event-source)); off by default")
        HttpSourceConfig httpSource,
        @Doc("minute reports to ds-control ([Minute reports](#minute-reports-to-control)); off without `reports.controlUrl`")
        ReportsConfig reports) {


    public RouterConfig {
        id = id == null ? "router-" + hostName() : id;
        advertisedHost = advertisedHost == null ? "localhost" : advertisedHost;
        listen = listen == null ? new ListenConfig(null, null, null, null) : listen;
        http = http == null ? new HttpConfig(null, null) : http;
        auth = auth == null ? AuthConfig.none() : auth;
        tls = tls == null ? TlsConfig.off() : tls;
        limits = limits == null ? new LimitsConfig(null, null, null, null) : limits;
        heartbeat = heartbeat == null ? new HeartbeatConfig(null, null) : heartbeat;
        pool = pool == null ? new PoolConfig(null, null, null) : pool;
        kafka = kafka == null ? new KafkaConfig(null, null, null, null, null, null) : kafka;
        zookeeper = zookeeper == null ? new ZooKeeperConfig(null, null, null, null, null, null) : zookeeper;
        routes = routes == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(routes));
        defaultRoute = defaultRoute == null ? new DefaultRouteConfig(null, null, null) : defaultRoute;
        migration = migration == null ? new MigrationConfig(null, null, null, null, null, null, null) : migration;
        drain = drain == null ? new DrainConfig(null) : drain;
        health = health == null ? new HealthConfig(null) : health;
        httpSource = httpSource == null ? HttpSourceConfig.disabled() : httpSource;
        reports = reports == null ? ReportsConfig.off() : reports;
    }

    /** The same configuration with {@code source} as its HTTP event source (e.g. {@link HttpSourceConfig#enabledDefaults()}). */
    public RouterConfig withHttpSource(HttpSourceConfig source) {
        return new RouterConfig(id, advertisedHost, listen, http, auth, tls, limits, heartbeat, pool, kafka, zookeeper, routes, defaultRoute,
                migration, drain, health, source, reports);
    }

    /** The same configuration with {@code r} as its minute reports to control. */
    public RouterConfig withReports(ReportsConfig r) {
        return new RouterConfig(id, advertisedHost, listen, http, auth, tls, limits, heartbeat, pool, kafka, zookeeper, routes, defaultRoute,
                migration, drain, health, httpSource, r);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** Every default: a router on 127.0.0.1:7100 writing to Kafka on localhost:9092. */
    public static RouterConfig defaults() {
        return fromYaml("{}");
    }

    /**
     * Reads and validates a YAML document: bound strictly by the shared {@link ConfigBinder} (unknown
     * keys, wrong types and duplicates are problems) and then checked, every problem of both steps
     * reported at once. @throws ConfigException listing every problem
     */
    public static RouterConfig fromYaml(String yaml) {
        Problems problems = Problems.root();
        JsonNode tree;
        try {
            tree = ConfigBinder.parse(yaml, ConfigException.WHAT);
        } catch (io.datastream.config.ConfigException e) {
            throw new ConfigException(e.problemList());
        }
        RouterConfig cfg = ConfigBinder.strict().bind(RouterConfig.class, tree, problems);
        if (cfg != null) {
            cfg.check(new ConfigErrors(problems));
        }
        new ConfigErrors(problems).throwIfAny();
        return cfg;
    }

    /** Reads and validates a YAML file. */
    public static RouterConfig load(Path file) throws IOException {
        return fromYaml(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Checks every value; returns this. @throws ConfigException listing every problem */
    public RouterConfig validate() {
        ConfigErrors e = new ConfigErrors();
        check(e);
        e.throwIfAny();
        return this;
    }

    private void check(ConfigErrors e) {
        e.notBlank(id, "id");
        e.check(id.length() <= 200 && id.indexOf('/') < 0, "id", "must be at most 200 characters without '/', was '" + id + "'");
        e.notBlank(advertisedHost, "advertisedHost");
        listen.validate(e);
        http.validate(e);
        e.check(listen.port() == 0 || !listen.port().equals(http.port()), "http.port", "must differ from listen.port (" + listen.port() + ")");
        auth.validate(e, tls, zookeeper);
        tls.validate(e);
        limits.validate(e);
        heartbeat.validate(e);
        pool.validate(e, limits);
        kafka.validate(e);
        zookeeper.validate(e);
        for (int i = 0; i < routes.size(); i++) {
            if (routes.get(i) != null) {
                routes.get(i).validate(e, "routes[" + i + "]");
                checkChannelRoute(e, routes.get(i), "routes[" + i + "].channel");
            }
        }
        defaultRoute.validate(e);
        migration.validate(e);
        drain.validate(e);
        health.validate(e);
        reports.validate(e, id);
        httpSource.validate(e, tls);
        if (httpSource.enabled() && httpSource.port() != 0) {
            e.check(!httpSource.port().equals(listen.port()) && !httpSource.port().equals(http.port()), "httpSource.port",
                    "must differ from listen.port and http.port (" + listen.port() + ", " + http.port() + ")");
        }
        for (int i = 0; httpSource.enabled() && i < httpSource.sinks().size(); i++) {
            HttpSourceConfig.SinkConfig s = httpSource.sinks().get(i);
            int maxRequest = Math.max(1 << 20, limits.maxBatchBytes() + (64 << 10));
            e.check(s == null || s.maxBatchBytes() + (64 << 10) <= maxRequest, "httpSource.sinks[" + i + "].maxBatchBytes",
                    "must leave 64 KiB under the producer's max.request.size (" + maxRequest + ")");
        }
        for (int i = 0; httpSource.enabled() && i < httpSource.channels().size(); i++) {
            HttpSourceConfig.ChannelConfig c = httpSource.channels().get(i);
            int maxRequest = Math.max(1 << 20, limits.maxBatchBytes() + (64 << 10));
            e.check(c == null || c.shape() == null || c.shape().targetBytes() + (64 << 10) <= maxRequest,
                    "httpSource.channels[" + i + "].shape.targetBytes", "must leave 64 KiB under the producer's max.request.size (" + maxRequest + ")");
        }
        if (kafka.partitionerKind() != null) {
            RouteTable.compile(routes, defaultRoute, kafka.partitionerKind(), e);
        }
        if (e.isEmpty()) {
            ProducerSettings.check(id, kafka, pool, limits, e);
        }
    }

    /** A route into a channel needs the HTTP source's channels on and a channel of {@code format: batches} of that name. */
    private void checkChannelRoute(ConfigErrors e, RouteConfig r, String key) {
        if (!r.toChannel()) {
            return;
        }
        if (!httpSource.enabled()) {
            e.add(key, "needs httpSource.enabled: true (channels and their sinks are defined under httpSource)");
            return;
        }
        HttpSourceConfig.ChannelConfig c = httpSource.channels().stream().filter(x -> x != null && r.channel().equals(x.name()))
                .findFirst().orElse(null);
        e.check(c != null, key, "names no channel of httpSource.channels: '" + r.channel() + "'");
        e.check(c == null || c.holdsAgentBatches(), key, "channel '" + r.channel() + "' must have format: batches");
    }

    /** The compiled routes (the configuration is valid, so this does not fail). */
    public RouteTable routeTable() {
        ConfigErrors e = new ConfigErrors();
        RouteTable table = RouteTable.compile(routes, defaultRoute, kafka.partitionerKind(), e);
        e.throwIfAny();
        return table;
    }

    /** Limits applied when parsing batches and frames. */
    public ProtocolLimits protocolLimits() {
        return new ProtocolLimits(maxFrameLength(), limits.maxUncompressedBytes(), limits.maxRecordsPerBatch());
    }

    /** The largest frame length field accepted: type and flags, the batch id, and the largest batch. */
    public int maxFrameLength() {
        return 2 + limits.maxBatchBytes();
    }

    /** The largest batch (without the batch id) accepted. */
    public int maxBatchContentBytes() {
        return limits.maxBatchBytes() - BatchFrame.BODY_OVERHEAD;
    }
}
