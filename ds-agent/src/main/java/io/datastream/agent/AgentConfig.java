package io.datastream.agent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.datastream.agent.config.ConfigException;
import io.datastream.agent.config.ConfigReader;
import io.datastream.protocol.report.ReportSettings;
import io.datastream.registry.acl.ZkCredentials;
import io.datastream.registry.task.FieldError;
import io.datastream.registry.task.TaskSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The agent's configuration: immutable, read from YAML with every key validated (the error
 * names the full key path) and unknown keys rejected. {@link #defaults()} is a working agent on
 * localhost: no ZooKeeper, router at localhost:7100, no tasks. docs/agent.md lists every key.
 *
 * @param id        stable agent id, part of every line identity (default "agent-" + host name)
 * @param host      host name reported to routers and matched by task host selectors
 * @param labels    labels matched by task host selectors
 * @param dataDir   directory of the checkpoint file
 * @param routers   fixed router addresses ("host:port", or an HAProxy address), used when ZooKeeper is off or lists none
 * @param authToken token sent in HELLO (empty = none)
 * @param tls       TLS to routers (off by default)
 * @param httpHost  address the metrics port binds to
 * @param httpPort  Prometheus metrics port: 0 = any free port, -1 = off
 * @param tasks     local tasks (ZooKeeper tasks are added to them)
 * @param paths     which directories tasks may read
 * @param reports   minute reports to ds-control (off without reports.controlUrl)
 */
public record AgentConfig(String id, String host, Map<String, String> labels, Path dataDir, List<String> routers,
                          ZooKeeperOptions zookeeper, String authToken, TlsOptions tls, String httpHost, int httpPort, List<TaskSpec> tasks,
                          PathOptions paths, FileOptions files, DiscoveryOptions discovery, BatchOptions batch, SendOptions send,
                          CheckpointOptions checkpoint, StatusOptions status, ReportSettings reports) {

    public static final int DEFAULT_HTTP_PORT = 7200;

    /**
     * @param connect          ZooKeeper connect string; null or empty = no ZooKeeper
     * @param root             root path of the Datastream layout
     * @param sessionTimeoutMs ZooKeeper session timeout
     * @param credentials      digest credential from {@code zookeeper.authFile} or {@code zookeeper.authEnv}; null = none
     */
    public record ZooKeeperOptions(String connect, String root, long sessionTimeoutMs, ZkCredentials credentials) {
        public boolean enabled() {
            return connect != null && !connect.isBlank();
        }
    }

    /**
     * {@code tls.*}: TLS on the connections to routers (Netty's JDK TLS, 1.2 or 1.3).
     *
     * @param enabled        TLS to every router; off by default
     * @param caFile         PEM file of the CA certificates a router's certificate must chain to; empty = the JDK's trust store
     * @param certFile       PEM certificate chain this agent presents (mutual TLS); empty = none
     * @param keyFile        PEM PKCS#8 private key of {@code certFile}
     * @param keyPassword    password of an encrypted {@code keyFile}; empty = not encrypted
     * @param verifyHostname the router's certificate must name the address connected to (or {@code serverName}); on by default
     * @param serverName     the name to verify and send as SNI instead of the router's address (e.g. behind a TCP proxy); empty = the address
     */
    public record TlsOptions(boolean enabled, String caFile, String certFile, String keyFile, String keyPassword, boolean verifyHostname,
                             String serverName) {
        public static final TlsOptions OFF = new TlsOptions(false, "", "", "", "", true, "");

        public boolean clientCertificate() {
            return !certFile.isEmpty();
        }

        @Override
        public String toString() {
            return "TlsOptions[enabled=" + enabled + ", caFile=" + caFile + ", certFile=" + certFile + ", keyFile=" + keyFile
                    + ", keyPassword=" + (keyPassword.isEmpty() ? "" : "***") + ", verifyHostname=" + verifyHostname
                    + ", serverName=" + serverName + "]";
        }
    }

    /**
     * {@code paths.*}: the local allow-list of what tasks may read (docs/security.md).
     *
     * @param allow absolute directories; a task whose glob's fixed leading directories are not
     *              inside one of them (also after resolving symlinks) is refused by this agent.
     *              /proc, /sys and /dev are refused whatever this says. Default {@code [/var/log]}.
     */
    public record PathOptions(List<Path> allow) {
        public PathOptions {
            allow = List.copyOf(allow);
        }
    }

    /**
     * @param fingerprintBytes the first N bytes whose checksum identifies a file
     * @param shortFileWaitMs  a file shorter than N bytes is read once it has been unchanged this long
     * @param maxOpen          most file handles open at once
     * @param fastPollMs       how often files in the fast class are checked for new data
     * @param slowAfterMs      a file with no new data for this long becomes slow (woken by inotify, polled at slowPollMs)
     * @param slowPollMs       polling fallback for slow files
     * @param inactiveAfterMs  a file unchanged this long is closed (inactive) and checked by discovery
     * @param releaseAfterMs   a rotated or deleted file read to its end is released after no growth for this long
     * @param readBufferBytes  size of the read buffer (lines longer than it grow a separate bounded buffer)
     */
    public record FileOptions(int fingerprintBytes, long shortFileWaitMs, int maxOpen, long fastPollMs, long slowAfterMs,
                              long slowPollMs, long inactiveAfterMs, long releaseAfterMs, int readBufferBytes) {
    }

    /**
     * @param intervalMs      full rescan of every task's globs (also checks inactive files)
     * @param maxFilesPerTask most files one task follows; further matches are ignored and reported
     * @param watch           use inotify (java.nio WatchService) to notice new files and writes at once
     * @param maxWatchedDirs  most directories watched at once
     */
    public record DiscoveryOptions(long intervalMs, int maxFilesPerTask, boolean watch, int maxWatchedDirs) {
    }

    /**
     * @param maxBytes   a batch is closed at this many uncompressed record bytes
     * @param maxRecords a batch holds at most this many records
     * @param lingerMs   new data waits at most this long for more before a smaller batch is built
     */
    public record BatchOptions(int maxBytes, int maxRecords, long lingerMs) {
    }

    /**
     * @param windowBatches    most batches built and not yet acknowledged
     * @param windowBytes      most compressed bytes built and not yet acknowledged
     * @param connectTimeoutMs TCP connect timeout
     * @param backoffInitialMs first reconnect delay
     * @param backoffMaxMs     largest reconnect delay (exponential, with jitter)
     * @param drainTimeoutMs   after GOAWAY, how long to wait for in-flight acks before re-sending them elsewhere
     * @param ackTimeoutMs     a batch not acknowledged this long makes the agent reconnect and re-send
     * @param parkRetryMs      a task parked after a REJECTED ack is retried after this long (or when it changes)
     */
    public record SendOptions(int windowBatches, long windowBytes, long connectTimeoutMs, long backoffInitialMs,
                              long backoffMaxMs, long drainTimeoutMs, long ackTimeoutMs, long parkRetryMs) {
    }

    /**
     * @param intervalMs  how often acknowledged offsets are written
     * @param retentionMs checkpoints of files not seen for this long are forgotten
     */
    public record CheckpointOptions(long intervalMs, long retentionMs) {
    }

    /** @param intervalMs how often the registration in ZooKeeper is refreshed */
    public record StatusOptions(long intervalMs) {
    }

    public AgentConfig {
        labels = Map.copyOf(labels);
        routers = List.copyOf(routers);
        tasks = List.copyOf(tasks);
        Objects.requireNonNull(dataDir, "dataDir");
    }

    @Override
    public String toString() {
        return "AgentConfig[id=" + id + ", host=" + host + ", dataDir=" + dataDir + ", routers=" + routers + ", authToken="
                + (authToken == null || authToken.isEmpty() ? "" : "***") + ", tls=" + tls + ", tasks=" + tasks.size() + "]";
    }

    /** The configuration of an agent started without a config file. */
    public static AgentConfig defaults() {
        return fromYaml("");
    }

    public static AgentConfig load(Path file) {
        try {
            return fromYaml(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException("(file): cannot read " + file + ": " + e.getMessage());
        }
    }

    public static AgentConfig fromYaml(String yaml) {
        JsonNode root;
        try {
            root = yaml == null || yaml.isBlank() ? null : new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new ConfigException("(yaml): not valid YAML: " + e.getMessage());
        }
        return read(new ConfigReader(root));
    }

    /** Every configuration key, as documented in docs/agent.md. */
    public static List<String> keys() {
        ConfigReader r = new ConfigReader(null);
        read(r, false);
        return r.keys();
    }

    private static AgentConfig read(ConfigReader r) {
        return read(r, true);
    }

    private static AgentConfig read(ConfigReader r, boolean finish) {
        String hostName = localHostName();
        String host = r.string("host", hostName);
        String id = r.string("id", "agent-" + host);
        if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            r.error("id", "must be 1-128 of [A-Za-z0-9._-] starting with a letter or digit, was '" + id + "'");
        }
        if (host == null || host.isBlank() || host.length() > 255) {
            r.error("host", "must be a non-empty host name of at most 255 characters");
        }
        Map<String, String> labels = r.stringMap("labels");
        if (labels.size() > 64) {
            r.error("labels", "at most 64 labels, got " + labels.size());
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().getBytes(StandardCharsets.UTF_8).length > 255) {
                r.error("labels." + e.getKey(), "label names are 1-255 bytes");
            }
            if (e.getValue().getBytes(StandardCharsets.UTF_8).length > 1024) {
                r.error("labels." + e.getKey(), "label values are at most 1024 bytes");
            }
        }
        String dataDir = r.string("dataDir", "./data/agent");
        List<String> routers = r.strings("routers", List.of("localhost:7100"));
        for (int i = 0; i < routers.size(); i++) {
            if (!validAddress(routers.get(i))) {
                r.error("routers[" + i + "]", "must be host:port, was '" + routers.get(i) + "'");
            }
        }
        String zkAuthFile = r.string("zookeeper.authFile", "");
        String zkAuthEnv = r.string("zookeeper.authEnv", "");
        ZkCredentials zkCredentials = null;
        try {
            zkCredentials = ZkCredentials.from(zkAuthFile, zkAuthEnv);
        } catch (IllegalArgumentException e) {
            r.error(zkAuthFile != null && !zkAuthFile.isEmpty() ? "zookeeper.authFile" : "zookeeper.authEnv", e.getMessage());
        }
        ZooKeeperOptions zk = new ZooKeeperOptions(r.string("zookeeper.connect", null), r.string("zookeeper.root", "/datastream"),
                r.longValue("zookeeper.sessionTimeoutMs", 15_000, 1_000, 600_000), zkCredentials);
        if (zk.root() == null || !zk.root().startsWith("/")) {
            r.error("zookeeper.root", "must be an absolute path like /datastream, was '" + zk.root() + "'");
        }
        String token = r.string("auth.token", "");
        String tokenFile = r.string("auth.tokenFile", "");
        if (tokenFile != null && !tokenFile.isEmpty()) {
            if (token != null && !token.isEmpty()) {
                r.error("auth.tokenFile", "set auth.token or auth.tokenFile, not both");
            }
            try {
                token = Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8).strip();
                if (token.isEmpty() || token.length() > 1024 || token.contains("\n")) {
                    r.error("auth.tokenFile", "file '" + tokenFile + "' must hold one token of 1-1024 characters");
                    token = "";
                }
            } catch (IOException | RuntimeException e) {
                r.error("auth.tokenFile", "cannot read '" + tokenFile + "': " + e.getMessage());
                token = "";
            }
        }
        if (token != null && token.length() > 1024) {
            r.error("auth.token", "must be at most 1024 characters, was " + token.length());
        }
        TlsOptions tls = tls(r);
        String httpHost = r.string("http.host", "127.0.0.1");
        int httpPort = r.intValue("http.port", DEFAULT_HTTP_PORT, -1, 65535);

        FileOptions files = new FileOptions(
                r.intValue("files.fingerprintBytes", 256, 16, 65536),
                r.longValue("files.shortFileWaitMs", 10_000, 0, 86_400_000),
                r.intValue("files.maxOpen", 1024, 4, 1_000_000),
                r.longValue("files.fastPollMs", 20, 1, 10_000),
                r.longValue("files.slowAfterMs", 2_000, 10, 86_400_000),
                r.longValue("files.slowPollMs", 1_000, 10, 600_000),
                r.longValue("files.inactiveAfterMs", 300_000, 100, 86_400_000),
                r.longValue("files.releaseAfterMs", 10_000, 0, 86_400_000),
                r.intValue("files.readBufferBytes", 256 << 10, 4096, 64 << 20));
        if (files.slowAfterMs() > files.inactiveAfterMs()) {
            r.error("files.slowAfterMs", "must be <= files.inactiveAfterMs (" + files.inactiveAfterMs() + "), was " + files.slowAfterMs());
        }
        DiscoveryOptions discovery = new DiscoveryOptions(
                r.longValue("discovery.intervalMs", 10_000, 100, 3_600_000),
                r.intValue("discovery.maxFilesPerTask", 20_000, 1, 10_000_000),
                r.bool("discovery.watch", true),
                r.intValue("discovery.maxWatchedDirs", 4096, 0, 1_000_000));
        BatchOptions batch = new BatchOptions(
                r.intValue("batch.maxBytes", 512 << 10, 4096, 16 << 20),
                r.intValue("batch.maxRecords", 100_000, 1, 4 << 20),
                r.longValue("batch.lingerMs", 100, 0, 60_000));
        SendOptions send = new SendOptions(
                r.intValue("send.windowBatches", 64, 1, 100_000),
                r.longValue("send.windowBytes", 32L << 20, 64 << 10, 4L << 30),
                r.longValue("send.connectTimeoutMs", 5_000, 100, 600_000),
                r.longValue("send.backoffInitialMs", 100, 1, 600_000),
                r.longValue("send.backoffMaxMs", 10_000, 1, 3_600_000),
                r.longValue("send.drainTimeoutMs", 10_000, 0, 600_000),
                r.longValue("send.ackTimeoutMs", 60_000, 1_000, 3_600_000),
                r.longValue("send.parkRetryMs", 60_000, 100, 86_400_000));
        if (send.backoffInitialMs() > send.backoffMaxMs()) {
            r.error("send.backoffInitialMs", "must be <= send.backoffMaxMs (" + send.backoffMaxMs() + "), was " + send.backoffInitialMs());
        }
        CheckpointOptions checkpoint = new CheckpointOptions(
                r.longValue("checkpoint.intervalMs", 1_000, 10, 600_000),
                r.longValue("checkpoint.retentionMs", 86_400_000L, 1_000, 365L * 86_400_000L));
        StatusOptions status = new StatusOptions(r.longValue("status.intervalMs", 5_000, 100, 600_000));
        ReportSettings reports = reports(r);
        List<TaskSpec> tasks = tasks(r);
        PathOptions paths = paths(r);
        if (finish) {
            r.finish();
        }
        return new AgentConfig(id, host, labels, Path.of(dataDir == null ? "./data/agent" : dataDir), routers, zk, token, tls, httpHost, httpPort,
                tasks, paths, files, discovery, batch, send, checkpoint, status, reports);
    }

    private static PathOptions paths(ConfigReader r) {
        List<String> allow = r.strings("paths.allow", List.of("/var/log"));
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < allow.size(); i++) {
            String a = allow.get(i);
            String key = "paths.allow[" + i + "]";
            if (a == null || !a.startsWith("/")) {
                r.error(key, "must be an absolute directory, was '" + a + "'");
                continue;
            }
            Path p = Path.of(a);
            if (!p.normalize().equals(p) || a.contains("/../") || a.endsWith("/..") || a.contains("/./")) {
                r.error(key, "must not contain . or .. segments, was '" + a + "'");
                continue;
            }
            boolean system = false;
            for (Path n : List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"))) {
                system |= p.startsWith(n);
            }
            if (system) {
                r.error(key, "/proc, /sys and /dev are never read, was '" + a + "'");
                continue;
            }
            out.add(p);
        }
        return new PathOptions(out);
    }

    private static TlsOptions tls(ConfigReader r) {
        boolean enabled = r.bool("tls.enabled", false);
        String ca = r.string("tls.caFile", "");
        String cert = r.string("tls.certFile", "");
        String key = r.string("tls.keyFile", "");
        String password = r.string("tls.keyPassword", "");
        boolean verify = r.bool("tls.verifyHostname", true);
        String serverName = r.string("tls.serverName", "");
        TlsOptions t = new TlsOptions(enabled, nonNull(ca), nonNull(cert), nonNull(key), nonNull(password), verify, nonNull(serverName));
        if (!enabled) {
            return t;
        }
        readable(r, "tls.caFile", t.caFile());
        if (t.certFile().isEmpty() != t.keyFile().isEmpty()) {
            r.error(t.certFile().isEmpty() ? "tls.certFile" : "tls.keyFile", "tls.certFile and tls.keyFile go together (mutual TLS)");
        }
        readable(r, "tls.certFile", t.certFile());
        readable(r, "tls.keyFile", t.keyFile());
        if (!t.serverName().isEmpty() && !t.serverName().matches("[A-Za-z0-9._:-]{1,253}")) {
            r.error("tls.serverName", "must be a host name, was '" + t.serverName() + "'");
        }
        return t;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static void readable(ConfigReader r, String key, String file) {
        if (!file.isEmpty() && !Files.isReadable(Path.of(file))) {
            r.error(key, "file '" + file + "' does not exist or is not readable");
        }
    }

    /** The reports.* keys (docs/agent.md, Minute reports). */
    static ReportSettings reports(ConfigReader r) {
        String url = r.string("reports.controlUrl", null);
        String urlError = ReportSettings.checkUrl(url);
        if (urlError != null) {
            r.error("reports.controlUrl", urlError);
        }
        String token = r.string("reports.token", "");
        String tokenFile = r.string("reports.tokenFile", null);
        if (tokenFile != null && !tokenFile.isEmpty()) {
            if (!token.isEmpty()) {
                r.error("reports.tokenFile", "give reports.token or reports.tokenFile, not both");
            }
            try {
                token = Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8).strip();
            } catch (IOException | RuntimeException e) {
                r.error("reports.tokenFile", "cannot read " + tokenFile + ": " + e.getMessage());
            }
        }
        long interval = r.longValue("reports.intervalMs", ReportSettings.DEFAULT_INTERVAL_MS, 100, 3_600_000);
        int window = r.intValue("reports.windowMinutes", ReportSettings.DEFAULT_WINDOW_MINUTES, 2, 10_080);
        int maxCells = r.intValue("reports.maxCells", ReportSettings.DEFAULT_MAX_CELLS, 100, 10_000_000);
        long timeout = r.longValue("reports.timeoutMs", ReportSettings.DEFAULT_TIMEOUT_MS, 100, 600_000);
        return new ReportSettings(url == null || url.isEmpty() || urlError != null ? null : java.net.URI.create(url), token, interval,
                window, maxCells, timeout);
    }

    private static List<TaskSpec> tasks(ConfigReader r) {
        JsonNode n = r.node("tasks");
        List<TaskSpec> out = new ArrayList<>();
        if (n.isMissingNode() || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            r.error("tasks", "must be a list of tasks");
            return out;
        }
        ObjectMapper strict = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < n.size(); i++) {
            String prefix = "tasks[" + i + "]";
            TaskSpec spec;
            try {
                spec = strict.treeToValue(n.get(i), TaskSpec.class);
            } catch (IOException | IllegalArgumentException e) {
                r.error(prefix, "not a valid task: " + firstLine(e.getMessage()));
                continue;
            }
            if (spec == null) {
                r.error(prefix, "must be a task");
                continue;
            }
            for (FieldError fe : spec.validate()) {
                r.error(prefix + "." + fe.field(), fe.message());
            }
            if (spec.id() != null && !ids.add(spec.id())) {
                r.error(prefix + ".id", "duplicate task id '" + spec.id() + "'");
            }
            out.add(spec);
        }
        return out;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static boolean validAddress(String a) {
        if (a == null) {
            return false;
        }
        int c = a.lastIndexOf(':');
        if (c <= 0 || c == a.length() - 1) {
            return false;
        }
        try {
            int p = Integer.parseInt(a.substring(c + 1));
            return p > 0 && p <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static String localHostName() {
        String env = System.getenv("HOSTNAME");
        try {
            String h = InetAddress.getLocalHost().getHostName();
            if (h != null && !h.isBlank()) {
                return h;
            }
        } catch (IOException e) {
            // fall back to the environment
        }
        return env == null || env.isBlank() ? "localhost" : env;
    }
}
