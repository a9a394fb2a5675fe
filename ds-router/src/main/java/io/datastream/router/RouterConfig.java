package io.datastream.router;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.datastream.protocol.ProtocolLimits;
import io.datastream.protocol.frame.BatchFrame;
import io.datastream.registry.task.FieldError;
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
import java.util.stream.Collectors;

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
 *
 * @param id             unique router id (default "router-" + host name)
 * @param advertisedHost address published in ZooKeeper and GOAWAY suggestions (default localhost)
 * @param reports        minute reports to ds-control (off by default)
 */
public record RouterConfig(String id, String advertisedHost, ListenConfig listen, HttpConfig http, AuthConfig auth, TlsConfig tls,
                           LimitsConfig limits, HeartbeatConfig heartbeat, PoolConfig pool, KafkaConfig kafka,
                           ZooKeeperConfig zookeeper, List<RouteConfig> routes, DefaultRouteConfig defaultRoute,
                           MigrationConfig migration, DrainConfig drain, HealthConfig health,
                           HttpSourceConfig httpSource, ReportsConfig reports) {

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

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
        kafka = kafka == null ? new KafkaConfig(null, null, null, null, null) : kafka;
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

    /** Reads and validates a YAML document. @throws ConfigException listing every problem */
    public static RouterConfig fromYaml(String yaml) {
        RouterConfig cfg;
        try {
            com.fasterxml.jackson.databind.JsonNode tree = YAML.readTree(yaml);
            boolean empty = tree == null || tree.isMissingNode() || tree.isNull();
            cfg = YAML.readValue(empty ? "{}" : yaml, RouterConfig.class);
        } catch (JsonProcessingException e) {
            throw new ConfigException(List.of(describe(e)));
        }
        return cfg.validate();
    }

    /** Reads and validates a YAML file. */
    public static RouterConfig load(Path file) throws IOException {
        return fromYaml(Files.readString(file, StandardCharsets.UTF_8));
    }

    private static String describe(JsonProcessingException e) {
        String key = "(document)";
        if (e instanceof JsonMappingException m) {
            key = FieldError.pathOf(m, key);
        }
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                    .collect(Collectors.joining(", "));
            return key + ": unknown key (known keys here: " + known + ")";
        }
        String msg = e.getOriginalMessage();
        int cut = msg.indexOf('\n');
        if (cut > 0) {
            msg = msg.substring(0, cut);
        }
        JsonLocation loc = e.getLocation();
        String where = loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
        return key + ": " + msg + where;
    }

    /** Checks every value; returns this. @throws ConfigException listing every problem */
    public RouterConfig validate() {
        ConfigErrors e = new ConfigErrors();
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
        e.throwIfAny();
        return this;
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
