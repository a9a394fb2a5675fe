package io.datastream.control;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.datastream.control.auth.ApiToken;
import io.datastream.control.auth.Credentials;
import io.datastream.control.ops.store.StoreSettings;
import io.datastream.registry.ZkLayout;
import io.datastream.registry.acl.ZkCredentials;
import io.datastream.registry.task.FieldError;
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
import java.util.stream.Collectors;

/**
 * The control server's configuration, read from YAML. Unknown keys are rejected; every value is
 * validated with its full key path in the error; missing values take the defaults of
 * {@link #KEYS}, so an empty file (or none) runs on localhost against ZooKeeper at
 * localhost:2181. Instances are always valid: the constructor checks the whole config.
 *
 * @param http          the REST listener
 * @param zookeeper     where the registry lives
 * @param auth          who may write
 * @param allowedTopics regex a task's topic must match entirely (tasks naming other topics are refused)
 * @param store         the per-minute counts database
 * @param alerts        alert evaluation and notification
 * @param audit         the tier-by-tier count audit
 */
public record ControlConfig(Http http, ZooKeeper zookeeper, Auth auth, String allowedTopics, Store store, Alerts alerts,
                            Audit audit) {

    public static final int DEFAULT_PORT = 7400;
    public static final int DEFAULT_MAX_BODY_BYTES = 256 * 1024;
    public static final int DEFAULT_SESSION_TIMEOUT_MS = 15_000;
    public static final int DEFAULT_OPERATION_TIMEOUT_MS = 5_000;

    /** Every configuration key with its default and meaning (the reference in docs/control.md lists the same). */
    public static final List<Key> KEYS = List.of(
            new Key("http.host", "127.0.0.1", "address the REST API listens on; set 0.0.0.0 (with auth tokens) to serve the network"),
            new Key("http.port", String.valueOf(DEFAULT_PORT), "REST API port; 0 picks a free port"),
            new Key("http.maxBodyBytes", String.valueOf(DEFAULT_MAX_BODY_BYTES),
                    "largest request body accepted; larger ones are answered 413 (1024 to 16777216)"),
            new Key("zookeeper.connect", "localhost:2181", "ZooKeeper connect string (host:port,host:port)"),
            new Key("zookeeper.root", ZkLayout.DEFAULT_ROOT, "root path of the Datastream nodes"),
            new Key("zookeeper.sessionTimeoutMs", String.valueOf(DEFAULT_SESSION_TIMEOUT_MS),
                    "ZooKeeper session timeout (2000 to 120000)"),
            new Key("zookeeper.operationTimeoutMs", String.valueOf(DEFAULT_OPERATION_TIMEOUT_MS),
                    "longest time one API call waits for ZooKeeper before answering 503 (100 to 60000)"),
            new Key("zookeeper.authFile", "(none)", "a file holding the ZooKeeper digest credential user:password (docs/security.md)"),
            new Key("zookeeper.authEnv", "(none)", "an environment variable holding it, instead of zookeeper.authFile"),
            new Key("auth.token", "(empty)",
                    "one admin token (at least 16 characters), the shorthand for small setups; empty and no auth.tokens ="
                            + " only loopback clients addressing localhost are served"),
            new Key("auth.tokenFile", "(none)", "a file holding the admin token, instead of auth.token"),
            new Key("auth.tokens", "[]", "named tokens: [{name, role: read|write|admin, token | tokenFile | tokenEnv}];"
                    + " every API call but /health and /metrics needs one once any token is configured"),
            new Key("auth.allowedOrigins", "[]", "browser origins (scheme://host:port) allowed to write besides the API's own"),
            new Key("allowedTopics", ".*", "regex a task's topic must match entirely; other topics are refused with 400"),
            new Key("store.path", Store.DEFAULT_PATH, "the SQLite file of per-minute counts and alerts (created with its folder)"),
            new Key("store.retentionMinuteDays", "7", "days per-minute rows are kept before being rolled up to hourly rows (1 to 31)"),
            new Key("store.retentionHourDays", "90", "days hourly rows are kept (at least store.retentionMinuteDays, at most 3650)"),
            new Key("store.maxBytes", String.valueOf(StoreSettings.DEFAULT_MAX_BYTES),
                    "bound of the data in the database; past it the oldest hour of data is deleted (at least 16777216)"),
            new Key("store.queueCapacity", String.valueOf(StoreSettings.DEFAULT_QUEUE_CAPACITY),
                    "reports waiting for the writer thread (16 to 1000000); when full a report is dropped, counted and answered 503"),
            new Key("alerts.evaluationIntervalMs", "15000", "how often the alert rules are evaluated (100 to 3600000)"),
            new Key("alerts.webhookTimeoutMs", "5000", "timeout of one webhook call (100 to 60000)"),
            new Key("alerts.webhookMaxAttempts", "5", "attempts per notification before it is given up and counted (1 to 20)"),
            new Key("alerts.webhookBackoffMs", "1000", "delay before the first retry, doubled at each retry up to 5 minutes (1 to 600000)"),
            new Key("alerts.webhookQueueCapacity", "1000",
                    "notifications waiting to be sent (1 to 100000); when full a notification is dropped, counted and logged"),
            new Key("audit.finalityMs", "300000",
                    "age after which a minute's counts are final: younger windows show as in flight (0 to 86400000)"));

    /** One configuration key, for the reference documentation. */
    public record Key(String name, String defaultValue, String meaning) {
    }

    /**
     * @param host         listen address
     * @param port         listen port, 0 = any free port
     * @param maxBodyBytes largest request body
     */
    public record Http(String host, Integer port, Integer maxBodyBytes) {
        public Http {
            host = host == null ? "127.0.0.1" : host;
            port = port == null ? DEFAULT_PORT : port;
            maxBodyBytes = maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
        }
    }

    /**
     * @param connect            connect string
     * @param root               root path
     * @param sessionTimeoutMs   session timeout
     * @param operationTimeoutMs bound of one API call's ZooKeeper work
     * @param authFile           file holding the digest credential {@code user:password}; null = none
     * @param authEnv            environment variable holding it, instead of {@code authFile}
     */
    public record ZooKeeper(String connect, String root, Integer sessionTimeoutMs, Integer operationTimeoutMs, String authFile,
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
     *
     * @param token          one admin token, inline (or empty)
     * @param tokenFile      a file holding the admin token
     * @param tokens         named tokens with roles
     * @param allowedOrigins browser origins allowed to write besides the API's own
     */
    public record Auth(String token, String tokenFile, List<ApiToken> tokens, List<String> allowedOrigins) {
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
     * @param path                the SQLite file
     * @param retentionMinuteDays days of per-minute rows
     * @param retentionHourDays   days of hourly rows
     * @param maxBytes            bound of the data
     * @param queueCapacity       writes waiting for the writer thread
     */
    public record Store(String path, Integer retentionMinuteDays, Integer retentionHourDays, Long maxBytes, Integer queueCapacity) {
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
     * @param evaluationIntervalMs  how often rules are evaluated
     * @param webhookTimeoutMs      timeout of one webhook call
     * @param webhookMaxAttempts    attempts per notification
     * @param webhookBackoffMs      first retry delay (doubling)
     * @param webhookQueueCapacity  notifications waiting
     */
    public record Alerts(Integer evaluationIntervalMs, Integer webhookTimeoutMs, Integer webhookMaxAttempts, Integer webhookBackoffMs,
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
    public record Audit(Long finalityMs) {
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

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Every default: HTTP on 127.0.0.1:7400, ZooKeeper at localhost:2181, root /datastream, no token. */
    public static ControlConfig defaults() {
        return new ControlConfig(null, null, null, null, null, null, null);
    }

    /** Reads YAML text; an empty text is the defaults. */
    public static ControlConfig fromYaml(String yaml) {
        try {
            JsonNode tree = YAML.readTree(yaml == null ? "" : yaml);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return defaults();
            }
            if (!tree.isObject()) {
                throw new InvalidConfigException(List.of("(root): must be a mapping of keys, was " + tree.getNodeType().name().toLowerCase()));
            }
            return YAML.treeToValue(tree, ControlConfig.class);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof InvalidConfigException) {
                throw (InvalidConfigException) e.getCause();
            }
            throw new InvalidConfigException(List.of(path(e) + ": " + e.getOriginalMessage()));
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            throw new InvalidConfigException(List.of(path(e) + ": unknown key" + (known.isEmpty() ? "" : " (known here: " + known + ")")));
        } catch (MismatchedInputException e) {
            String type = e.getTargetType() == null ? "another type" : friendly(e.getTargetType());
            throw new InvalidConfigException(List.of(path(e) + ": must be " + type));
        } catch (JsonMappingException e) {
            throw new InvalidConfigException(List.of(path(e) + ": " + e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new InvalidConfigException(List.of("(yaml): " + e.getOriginalMessage()));
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

    private static String path(JsonMappingException e) {
        return FieldError.pathOf(e, "(root)");
    }

    private static String friendly(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isRecord()) {
            return "a mapping of keys";
        }
        return "a " + type.getSimpleName();
    }
}
