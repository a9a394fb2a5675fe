package io.datastream.control;

import io.datastream.config.Doc;

import io.datastream.config.ConfigBinder;
import io.datastream.config.ConfigException;
import io.datastream.control.auth.ApiToken;
import io.datastream.control.auth.Credentials;
import io.datastream.control.ops.store.StoreSettings;
import io.datastream.registry.ZkLayout;
import io.datastream.registry.acl.ZkCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The control server's configuration, read from YAML. Unknown keys are rejected; every value is
 * validated with its full key path in the error; missing values take the defaults set in the
 * records' constructors (docs/control.md's reference is generated from them), so an empty file (or none) runs on localhost against ZooKeeper at
 * localhost:2181. Instances are always valid: the constructor checks the whole config.
 */
public record ControlConfig(
        @Doc("the REST API and web console listener")
        Http http,
        @Doc("where the registry and tasks live")
        ZooKeeper zookeeper,
        @Doc("who may use the API ([Authentication and authorization](#authentication-and-authorization))")
        Auth auth,
        @Doc("Java regex a task's `topic` must match entirely; tasks naming other topics are refused with 400 on field `topic`")
        String allowedTopics,
        @Doc("the per-minute counts database ([Metrics store](#metrics-store))")
        Store store,
        @Doc("alert evaluation and notification ([Alerts](#alerts))")
        Alerts alerts,
        @Doc("the tier-by-tier count audit ([Audit](#audit))")
        Audit audit) {

    public static final int DEFAULT_PORT = 7400;
    public static final int DEFAULT_MAX_BODY_BYTES = 256 * 1024;
    public static final int DEFAULT_SESSION_TIMEOUT_MS = 15_000;
    public static final int DEFAULT_OPERATION_TIMEOUT_MS = 5_000;

    /**
     */
    public record Http(
        @Doc("address the REST API listens on; set `0.0.0.0` (with auth tokens) to serve the network")
        String host,
        @Doc("REST API port; 0 picks a free port")
        Integer port,
        @Doc("largest request body accepted (1024 to 16777216); larger ones are answered 413")
        Integer maxBodyBytes) {
        public Http {
            host = host == null ? "127.0.0.1" : host;
            port = port == null ? DEFAULT_PORT : port;
            maxBodyBytes = maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
        }
    }

    /**
     */
    public record ZooKeeper(
        @Doc("ZooKeeper connect string (`host:port,host:port`, optionally with a chroot)")
        String connect,
        @Doc("root path of the Datastream nodes; must equal the agents' and routers' `zookeeper.root`")
        String root,
        @Doc("ZooKeeper session timeout (2000 to 120000)")
        Integer sessionTimeoutMs,
        @Doc("longest time one API call waits for ZooKeeper before answering 503 (100 to 60000)")
        Integer operationTimeoutMs,
        @Doc("a file holding the ZooKeeper digest credential `user:password` ([security.md](security.md#zookeeper)); empty = none")
        String authFile,
        @Doc("an environment variable holding the credential, instead of `zookeeper.authFile`")
        String authEnv) {
        public ZooKeeper {
            connect = connect == null ? "localhost:2181" : connect;
            root = root == null ? ZkLayout.DEFAULT_ROOT : root;
            sessionTimeoutMs = sessionTimeoutMs == null ? DEFAULT_SESSION_TIMEOUT_MS : sessionTimeoutMs;
            operationTimeoutMs = operationTimeoutMs == null ? DEFAULT_OPERATION_TIMEOUT_MS : operationTimeoutMs;
        }

        /** The digest credential, or null. @throws IllegalArgumentException if unreadable */
        public ZkCredentials credentials() {
            return ZkCredentials.from(authFile, authEnv);
        }
    }

    /**
     * Who may use the API. With no token at all, only loopback clients that address the API by a
     * loopback name are served (reads and writes); with tokens, every call but /health and
     * /metrics needs one, of a role that allows it.
     */
    public record Auth(
        @Doc("one admin token (at least 16 characters), the shorthand for small setups; with no token at all only loopback clients addressing `localhost` are served")
        String token,
        @Doc("a file holding the admin token, instead of `auth.token`")
        String tokenFile,
        @Doc("named tokens with roles; once any token is configured every call but `/health` and `/metrics` needs one")
        List<ApiToken> tokens,
        @Doc("browser origins (`scheme://host:port`) allowed to write besides the API's own")
        List<String> allowedOrigins) {
        public Auth {
            token = token == null ? "" : token;
            tokens = tokens == null ? List.of() : java.util.Collections.unmodifiableList(new ArrayList<>(tokens));
            allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        }

        /** Only an inline admin token. */
        public Auth(String token) {
            this(token, null, null, null);
        }

        /** The tokens with their secrets read, every problem with its key. */
        public Credentials credentials(List<String> errors) {
            return Credentials.resolve(token, tokenFile, tokens, System::getenv, errors);
        }

        /** The tokens with their secrets read; the config was validated, so nothing fails here but a changed file. */
        public Credentials credentials() {
            List<String> errors = new ArrayList<>();
            Credentials c = credentials(errors);
            if (!errors.isEmpty()) {
                throw new InvalidConfigException(errors);
            }
            return c;
        }

        public boolean enabled() {
            return !token.isEmpty() || tokenFile != null || !tokens.isEmpty();
        }

        @Override
        public String toString() {
            return "Auth[token=" + (token.isEmpty() ? "" : "***") + ", tokenFile=" + tokenFile + ", tokens=" + tokens
                    + ", allowedOrigins=" + allowedOrigins + "]";
        }
    }

    /**
     */
    public record Store(
        @Doc("the SQLite file of per-minute counts and alerts (created with its folder); see [Metrics store](#metrics-store)")
        String path,
        @Doc("days per-minute rows are kept before being rolled up into hourly rows (1 to 31)")
        Integer retentionMinuteDays,
        @Doc("days hourly rows are kept (at least `store.retentionMinuteDays`, at most 3650)")
        Integer retentionHourDays,
        @Doc("bound of the data in the database; past it the oldest hour of data is deleted and a warning logged (at least 16777216)")
        Long maxBytes,
        @Doc("reports waiting for the writer thread (16 to 1000000); when full a report is dropped, counted (`ds_control_store_reports_dropped_total`) and answered 503")
        Integer queueCapacity) {
        public static final String DEFAULT_PATH = "./data/control/metrics.db";

        public Store {
            path = path == null ? DEFAULT_PATH : path;
            retentionMinuteDays = retentionMinuteDays == null ? StoreSettings.DEFAULT_MINUTE_RETENTION_DAYS : retentionMinuteDays;
            retentionHourDays = retentionHourDays == null ? StoreSettings.DEFAULT_HOUR_RETENTION_DAYS : retentionHourDays;
            maxBytes = maxBytes == null ? StoreSettings.DEFAULT_MAX_BYTES : maxBytes;
            queueCapacity = queueCapacity == null ? StoreSettings.DEFAULT_QUEUE_CAPACITY : queueCapacity;
        }

        /** As the store takes them. */
        public StoreSettings settings() {
            return new StoreSettings(Path.of(path), retentionMinuteDays, retentionHourDays, maxBytes, queueCapacity);
        }
    }

    /**
     */
    public record Alerts(
        @Doc("how often the alert rules are evaluated (100 to 3600000)")
        Integer evaluationIntervalMs,
        @Doc("timeout of one webhook call (100 to 60000)")
        Integer webhookTimeoutMs,
        @Doc("attempts per notification before it is given up and counted (1 to 20)")
        Integer webhookMaxAttempts,
        @Doc("delay before the first retry, doubled at each retry up to 5 minutes (1 to 600000)")
        Integer webhookBackoffMs,
        @Doc("notifications waiting to be sent (1 to 100000); when full a notification is dropped, counted and logged")
        Integer webhookQueueCapacity) {
        public Alerts {
            evaluationIntervalMs = evaluationIntervalMs == null ? 15_000 : evaluationIntervalMs;
            webhookTimeoutMs = webhookTimeoutMs == null ? 5_000 : webhookTimeoutMs;
            webhookMaxAttempts = webhookMaxAttempts == null ? 5 : webhookMaxAttempts;
            webhookBackoffMs = webhookBackoffMs == null ? 1_000 : webhookBackoffMs;
            webhookQueueCapacity = webhookQueueCapacity == null ? 1_000 : webhookQueueCapacity;
        }
    }

    /** @param finalityMs age after which a minute's counts are final */
    public record Audit(
        @Doc("age after which a minute's counts are final: younger windows show as `in flight` (0 to 86400000)")
        Long finalityMs) {
        public Audit {
            finalityMs = finalityMs == null ? 300_000L : finalityMs;
        }
    }

    public ControlConfig {
        store = store == null ? new Store(null, null, null, null, null) : store;
        alerts = alerts == null ? new Alerts(null, null, null, null, null) : alerts;
        audit = audit == null ? new Audit(null) : audit;
        http = http == null ? new Http(null, null, null) : http;
        zookeeper = zookeeper == null ? new ZooKeeper(null, null, null, null, null, null) : zookeeper;
        auth = auth == null ? new Auth(null) : auth;
        allowedTopics = allowedTopics == null ? ".*" : allowedTopics;
        List<String> problems = problems(http, zookeeper, allowedTopics);
        OpsKeys.check(store, alerts, audit, problems);
        auth.credentials(problems);
        for (int i = 0; i < auth.allowedOrigins().size(); i++) {
            String o = auth.allowedOrigins().get(i);
            if (o == null || !o.matches("https?://[^/\\s]+")) {
                problems.add("auth.allowedOrigins[" + i + "]: must be scheme://host[:port], was '" + o + "'");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    /** Every default: HTTP on 127.0.0.1:7400, ZooKeeper at localhost:2181, root /datastream, no token. */
    public static ControlConfig defaults() {
        return new ControlConfig(null, null, null, null, null, null, null);
    }

    /**
     * Reads YAML text; an empty text is the defaults. Bound strictly by the shared
     * {@link ConfigBinder}: unknown keys, wrong types and invalid values are reported together.
     */
    public static ControlConfig fromYaml(String yaml) {
        try {
            return ConfigBinder.strict().fromYaml(ControlConfig.class, yaml, InvalidConfigException.WHAT);
        } catch (InvalidConfigException e) {
            throw e;
        } catch (ConfigException e) {
            throw InvalidConfigException.of(e.problemList());
        }
    }

    /** Reads a YAML file. */
    public static ControlConfig load(Path file) {
        try {
            return fromYaml(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new InvalidConfigException(List.of("(file): " + file + " does not exist"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The ZooKeeper layout under the configured root. */
    public ZkLayout layout() {
        return new ZkLayout(zookeeper.root());
    }

    /** The compiled {@link #allowedTopics} pattern. */
    public Pattern allowedTopicsPattern() {
        return Pattern.compile(allowedTopics);
    }

    private static List<String> problems(Http http, ZooKeeper zk, String allowedTopics) {
        List<String> p = new ArrayList<>();
        if (http.host().isBlank()) {
            p.add("http.host: must not be empty");
        }
        if (http.port() < 0 || http.port() > 65_535) {
            p.add("http.port: must be in [0, 65535], was " + http.port());
        }
        if (http.maxBodyBytes() < 1024 || http.maxBodyBytes() > 16 << 20) {
            p.add("http.maxBodyBytes: must be in [1024, 16777216], was " + http.maxBodyBytes());
        }
        if (zk.connect().isBlank()) {
            p.add("zookeeper.connect: must not be empty");
        }
        try {
            new ZkLayout(zk.root());
        } catch (IllegalArgumentException e) {
            p.add("zookeeper.root: " + e.getMessage());
        }
        if (zk.sessionTimeoutMs() < 2_000 || zk.sessionTimeoutMs() > 120_000) {
            p.add("zookeeper.sessionTimeoutMs: must be in [2000, 120000], was " + zk.sessionTimeoutMs());
        }
        if (zk.operationTimeoutMs() < 100 || zk.operationTimeoutMs() > 60_000) {
            p.add("zookeeper.operationTimeoutMs: must be in [100, 60000], was " + zk.operationTimeoutMs());
        }
        try {
            zk.credentials();
        } catch (IllegalArgumentException e) {
            p.add((zk.authFile() != null && !zk.authFile().isBlank() ? "zookeeper.authFile: " : "zookeeper.authEnv: ") + e.getMessage());
        }
        try {
            Pattern.compile(allowedTopics);
        } catch (PatternSyntaxException e) {
            p.add("allowedTopics: does not compile: " + e.getDescription());
        }
        return p;
    }
}
