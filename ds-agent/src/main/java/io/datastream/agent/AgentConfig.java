package io.datastream.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.datastream.agent.config.ConfigException;
import io.datastream.config.Checked;
import io.datastream.config.ConfigBinder;
import io.datastream.config.ConfigProblem;
import io.datastream.config.Doc;
import io.datastream.config.Problems;
import io.datastream.protocol.report.ReportSettings;
import io.datastream.registry.acl.ZkCredentials;
import io.datastream.registry.task.FieldError;
import io.datastream.registry.task.TaskSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's configuration: immutable records bound from YAML by the shared
 * {@link ConfigBinder} (unknown keys rejected, every problem reported at once with its full key
 * path). Defaults are set in the records' constructors and descriptions in their {@link Doc}
 * annotations, from which docs/agent.md's reference is generated. {@link #defaults()} is a
 * working agent on localhost: no ZooKeeper, router at localhost:7100, no tasks.
 */
public record AgentConfig(
        @Doc(value = "stable agent id, part of every line identity: never change it on a host; 1-128 of [A-Za-z0-9._-]",
                defaultText = "`agent-` + host")
        String id,
        @Doc(value = "reported to routers; matched by task host selectors", defaultText = "the host name")
        String host,
        @Doc("labels matched by task host selectors, sent in HELLO (at most 64)")
        Map<String, String> labels,
        @Doc("checkpoints and the lock file")
        Path dataDir,
        @Doc("fixed routers (`host:port`, or an HAProxy address), used when ZooKeeper is off or lists none")
        List<String> routers,
        @Doc("ZooKeeper: tasks, router discovery, registration")
        ZooKeeperOptions zookeeper,
        @Doc("the token this agent sends in HELLO ([security.md](security.md))")
        AuthOptions auth,
        @Doc("TLS to routers ([security.md](security.md#tls-between-agents-and-routers))")
        TlsOptions tls,
        @Doc("the metrics and files endpoint")
        HttpOptions http,
        @Doc("local tasks (the task fields of [Tasks](#tasks)); ZooKeeper's tasks are added to them")
        List<TaskSpec> tasks,
        @Doc("which directories tasks may read ([security.md](security.md#paths))")
        PathOptions paths,
        @Doc("following files")
        FileOptions files,
        @Doc("finding files")
        DiscoveryOptions discovery,
        @Doc("building batches")
        BatchOptions batch,
        @Doc("sending batches to routers")
        SendOptions send,
        @Doc("the checkpoint file")
        CheckpointOptions checkpoint,
        @Doc("the registration in ZooKeeper")
        StatusOptions status,
        @Doc("minute reports to ds-control ([Minute reports](#minute-reports-to-control)); off without `reports.controlUrl`")
        ReportOptions reports) implements Checked {

    public static final int DEFAULT_HTTP_PORT = 7200;

    /** What the agent reads: the first line of a configuration error. */
    public static final String WHAT = "agent configuration";

    private static final ConfigBinder BINDER = ConfigBinder.strict().with(TaskSpec.class, AgentConfig::task);

    public record ZooKeeperOptions(
            @Doc("ZooKeeper connect string; empty = no ZooKeeper (no tasks from control, no registration)")
            String connect,
            @Doc("root of the Datastream layout")
            String root,
            @Doc("ZooKeeper session timeout (1000 to 600000)")
            Long sessionTimeoutMs,
            @Doc("a file holding the ZooKeeper digest credential `user:password` ([security.md](security.md#zookeeper)); empty = none")
            String authFile,
            @Doc("an environment variable holding the credential, instead of `zookeeper.authFile`")
            String authEnv) implements Checked {
        public ZooKeeperOptions {
            root = root == null ? "/datastream" : root;
            sessionTimeoutMs = sessionTimeoutMs == null ? 15_000L : sessionTimeoutMs;
        }

        public boolean enabled() {
            return connect != null && !connect.isBlank();
        }

        /** The digest credential of {@code authFile} or {@code authEnv}, or null. @throws IllegalArgumentException if unreadable */
        public ZkCredentials credentials() {
            return ZkCredentials.from(authFile, authEnv);
        }

        @Override
        public void check(Problems p) {
            p.check(root.startsWith("/"), "root", "must be an absolute path like /datastream, was '" + root + "'");
            p.between(sessionTimeoutMs, 1_000, 600_000, "sessionTimeoutMs");
            try {
                credentials();
            } catch (IllegalArgumentException e) {
                p.add(authFile != null && !authFile.isEmpty() ? "authFile" : "authEnv", e.getMessage());
            }
        }
    }

    /** {@code auth.*}; the token is read from {@code tokenFile} when that is set. */
    public record AuthOptions(
            @Doc("token sent in HELLO (the shared `auth.token` of the routers, or this agent's own token); never logged")
            String token,
            @Doc("file holding the token (one line, surrounding whitespace stripped); instead of `auth.token`")
            String tokenFile) {
        public AuthOptions {
            token = token == null ? "" : token;
            Problems p = Problems.root();
            if (tokenFile != null && !tokenFile.isEmpty()) {
                p.check(token.isEmpty(), "tokenFile", "set auth.token or auth.tokenFile, not both");
                String read = readToken(tokenFile, p, "tokenFile");
                if (read != null && (read.isEmpty() || read.length() > 1024 || read.contains("\n"))) {
                    p.add("tokenFile", "file '" + tokenFile + "' must hold one token of 1-1024 characters");
                } else if (read != null) {
                    token = read;
                }
            }
            p.check(token.length() <= 1024, "token", "must be at most 1024 characters, was " + token.length());
            p.throwIfAny(WHAT);
        }

        @Override
        public String toString() {
            return "AuthOptions[token=" + (token.isEmpty() ? "" : "***") + ", tokenFile=" + tokenFile + "]";
        }
    }

    /** {@code tls.*}: TLS on the connections to routers (Netty's JDK TLS, 1.2 or 1.3). */
    public record TlsOptions(
            @Doc("TLS (1.2 or 1.3) on every router connection; the router needs `tls.enabled` too")
            Boolean enabled,
            @Doc("PEM CA certificates the router's certificate must chain to; empty = the JDK's default trust store")
            String caFile,
            @Doc("PEM certificate chain this agent presents (mutual TLS; with `tls.keyFile`)")
            String certFile,
            @Doc("PEM PKCS#8 private key of `tls.certFile`")
            String keyFile,
            @Doc("password of an encrypted `tls.keyFile`")
            String keyPassword,
            @Doc("the router's certificate must name the address connected to (DNS or IP SAN), or `tls.serverName`")
            Boolean verifyHostname,
            @Doc("name verified (and sent as SNI) instead of the router's address, e.g. behind a TCP proxy")
            String serverName) implements Checked {
        public static final TlsOptions OFF = new TlsOptions(false, "", "", "", "", true, "");

        public TlsOptions {
            enabled = enabled != null && enabled;
            caFile = caFile == null ? "" : caFile;
            certFile = certFile == null ? "" : certFile;
            keyFile = keyFile == null ? "" : keyFile;
            keyPassword = keyPassword == null ? "" : keyPassword;
            verifyHostname = verifyHostname == null || verifyHostname;
            serverName = serverName == null ? "" : serverName;
        }

        public boolean clientCertificate() {
            return !certFile.isEmpty();
        }

        @Override
        public void check(Problems p) {
            if (!enabled) {
                return;
            }
            readable(p, "caFile", caFile);
            if (certFile.isEmpty() != keyFile.isEmpty()) {
                p.add(certFile.isEmpty() ? "certFile" : "keyFile", "tls.certFile and tls.keyFile go together (mutual TLS)");
            }
            readable(p, "certFile", certFile);
            readable(p, "keyFile", keyFile);
            p.check(serverName.isEmpty() || serverName.matches("[A-Za-z0-9._:-]{1,253}"), "serverName",
                    "must be a host name, was '" + serverName + "'");
        }

        private static void readable(Problems p, String key, String file) {
            if (!file.isEmpty() && !Files.isReadable(Path.of(file))) {
                p.add(key, "file '" + file + "' does not exist or is not readable");
            }
        }

        @Override
        public String toString() {
            return "TlsOptions[enabled=" + enabled + ", caFile=" + caFile + ", certFile=" + certFile + ", keyFile=" + keyFile
                    + ", keyPassword=" + (keyPassword.isEmpty() ? "" : "***") + ", verifyHostname=" + verifyHostname
                    + ", serverName=" + serverName + "]";
        }
    }

    public record HttpOptions(
            @Doc("address of the metrics server; `0.0.0.0` for a Prometheus on another host")
            String host,
            @Doc("metrics port; `0` = any free port, `-1` = off")
            Integer port) implements Checked {
        public HttpOptions {
            host = host == null ? "127.0.0.1" : host;
            port = port == null ? DEFAULT_HTTP_PORT : port;
        }

        @Override
        public void check(Problems p) {
            p.between(port, -1, 65535, "port");
        }
    }

    /** {@code paths.*}: the local allow-list of what tasks may read (docs/security.md). */
    public record PathOptions(
            @Doc("absolute directories tasks may read: a task whose glob's fixed leading directories are outside them (as written or "
                    + "through a symlink) is refused by this agent (state `refused`); `/proc`, `/sys`, `/dev` are always refused")
            List<Path> allow) implements Checked {
        private static final List<Path> SYSTEM = List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));

        public PathOptions {
            allow = allow == null ? List.of(Path.of("/var/log")) : List.copyOf(allow);
        }

        @Override
        public void check(Problems p) {
            for (int i = 0; i < allow.size(); i++) {
                Path a = allow.get(i);
                String text = a.toString();
                Problems at = p.at("allow").at(i);
                if (!a.isAbsolute()) {
                    at.add("", "must be an absolute directory, was '" + text + "'");
                } else if (!a.normalize().equals(a) || text.contains("/../") || text.endsWith("/..") || text.contains("/./")) {
                    at.add("", "must not contain . or .. segments, was '" + text + "'");
                } else if (SYSTEM.stream().anyMatch(a::startsWith)) {
                    at.add("", "/proc, /sys and /dev are never read, was '" + text + "'");
                }
            }
        }
    }

    public record FileOptions(
            @Doc("leading bytes of a file's fingerprint (16 to 65536)")
            Integer fingerprintBytes,
            @Doc("a shorter file is fingerprinted once unchanged this long")
            Long shortFileWaitMs,
            @Doc("most open file handles (4 to 1000000)")
            Integer maxOpen,
            @Doc("how often fast files are checked")
            Long fastPollMs,
            @Doc("quiet time before a file becomes slow (must be <= `files.inactiveAfterMs`)")
            Long slowAfterMs,
            @Doc("polling fallback for slow files")
            Long slowPollMs,
            @Doc("quiet time before a file is closed")
            Long inactiveAfterMs,
            @Doc("a rotated or deleted file is released this long after it stopped growing (and after the rotation)")
            Long releaseAfterMs,
            @Doc("read buffer (4096 to 64 MiB); longer lines grow a separate bounded buffer")
            Integer readBufferBytes) implements Checked {
        public FileOptions {
            fingerprintBytes = fingerprintBytes == null ? 256 : fingerprintBytes;
            shortFileWaitMs = shortFileWaitMs == null ? 10_000L : shortFileWaitMs;
            maxOpen = maxOpen == null ? 1024 : maxOpen;
            fastPollMs = fastPollMs == null ? 20L : fastPollMs;
            slowAfterMs = slowAfterMs == null ? 2_000L : slowAfterMs;
            slowPollMs = slowPollMs == null ? 1_000L : slowPollMs;
            inactiveAfterMs = inactiveAfterMs == null ? 300_000L : inactiveAfterMs;
            releaseAfterMs = releaseAfterMs == null ? 10_000L : releaseAfterMs;
            readBufferBytes = readBufferBytes == null ? 256 << 10 : readBufferBytes;
        }

        @Override
        public void check(Problems p) {
            p.between(fingerprintBytes, 16, 65536, "fingerprintBytes");
            p.between(shortFileWaitMs, 0, 86_400_000, "shortFileWaitMs");
            p.between(maxOpen, 4, 1_000_000, "maxOpen");
            p.between(fastPollMs, 1, 10_000, "fastPollMs");
            p.between(slowAfterMs, 10, 86_400_000, "slowAfterMs");
            p.between(slowPollMs, 10, 600_000, "slowPollMs");
            p.between(inactiveAfterMs, 100, 86_400_000, "inactiveAfterMs");
            p.between(releaseAfterMs, 0, 86_400_000, "releaseAfterMs");
            p.between(readBufferBytes, 4096, 64 << 20, "readBufferBytes");
            p.check(slowAfterMs <= inactiveAfterMs, "slowAfterMs",
                    "must be <= files.inactiveAfterMs (" + inactiveAfterMs + "), was " + slowAfterMs);
        }
    }

    public record DiscoveryOptions(
            @Doc("full rescan of every task's globs (checks inactive files)")
            Long intervalMs,
            @Doc("most files one task follows (each costs about 1 KiB of heap; raise the heap with it)")
            Integer maxFilesPerTask,
            @Doc("use inotify (WatchService) for new, moved and written files")
            Boolean watch,
            @Doc("most watched directories (others are only scanned)")
            Integer maxWatchedDirs) implements Checked {
        public DiscoveryOptions {
            intervalMs = intervalMs == null ? 10_000L : intervalMs;
            maxFilesPerTask = maxFilesPerTask == null ? 20_000 : maxFilesPerTask;
            watch = watch == null || watch;
            maxWatchedDirs = maxWatchedDirs == null ? 4096 : maxWatchedDirs;
        }

        @Override
        public void check(Problems p) {
            p.between(intervalMs, 100, 3_600_000, "intervalMs");
            p.between(maxFilesPerTask, 1, 10_000_000, "maxFilesPerTask");
            p.between(maxWatchedDirs, 0, 1_000_000, "maxWatchedDirs");
        }
    }

    public record BatchOptions(
            @Doc("uncompressed bytes that close a batch (lowered to fit the router's limit)")
            Integer maxBytes,
            @Doc("records that close a batch")
            Integer maxRecords,
            @Doc("longest wait for more data before a smaller batch is built")
            Long lingerMs,
            @Doc("threads that compress batches (and compute their CRC) off the tailer thread, 0 to the number of processors; "
                    + "0 = on the tailer thread. Up to this + 2 batches are read and not yet in the send window")
            Integer compressionThreads) implements Checked {
        public BatchOptions {
            maxBytes = maxBytes == null ? 512 << 10 : maxBytes;
            maxRecords = maxRecords == null ? 100_000 : maxRecords;
            lingerMs = lingerMs == null ? 100L : lingerMs;
            compressionThreads = compressionThreads == null ? 1 : compressionThreads;
        }

        @Override
        public void check(Problems p) {
            p.between(maxBytes, 4096, 16 << 20, "maxBytes");
            p.between(maxRecords, 1, 4 << 20, "maxRecords");
            p.between(lingerMs, 0, 60_000, "lingerMs");
            p.between(compressionThreads, 0, Runtime.getRuntime().availableProcessors(), "compressionThreads");
        }
    }

    public record SendOptions(
            @Doc("most batches built and not acknowledged")
            Integer windowBatches,
            @Doc("most compressed bytes built and not acknowledged")
            Long windowBytes,
            @Doc("TCP connect timeout")
            Long connectTimeoutMs,
            @Doc("first reconnect delay after a failed attempt")
            Long backoffInitialMs,
            @Doc("largest reconnect delay (exponential, with jitter)")
            Long backoffMaxMs,
            @Doc("after GOAWAY, wait this long for in-flight acks before re-sending them elsewhere")
            Long drainTimeoutMs,
            @Doc("a batch unacknowledged this long makes the agent reconnect and re-send")
            Long ackTimeoutMs,
            @Doc("a task parked after a REJECTED ack is retried after this long (or when it changes)")
            Long parkRetryMs) implements Checked {
        public SendOptions {
            windowBatches = windowBatches == null ? 64 : windowBatches;
            windowBytes = windowBytes == null ? 32L << 20 : windowBytes;
            connectTimeoutMs = connectTimeoutMs == null ? 5_000L : connectTimeoutMs;
            backoffInitialMs = backoffInitialMs == null ? 100L : backoffInitialMs;
            backoffMaxMs = backoffMaxMs == null ? 10_000L : backoffMaxMs;
            drainTimeoutMs = drainTimeoutMs == null ? 10_000L : drainTimeoutMs;
            ackTimeoutMs = ackTimeoutMs == null ? 60_000L : ackTimeoutMs;
            parkRetryMs = parkRetryMs == null ? 60_000L : parkRetryMs;
        }

        @Override
        public void check(Problems p) {
            p.between(windowBatches, 1, 100_000, "windowBatches");
            p.between(windowBytes, 64 << 10, 4L << 30, "windowBytes");
            p.between(connectTimeoutMs, 100, 600_000, "connectTimeoutMs");
            p.between(backoffInitialMs, 1, 600_000, "backoffInitialMs");
            p.between(backoffMaxMs, 1, 3_600_000, "backoffMaxMs");
            p.between(drainTimeoutMs, 0, 600_000, "drainTimeoutMs");
            p.between(ackTimeoutMs, 1_000, 3_600_000, "ackTimeoutMs");
            p.between(parkRetryMs, 100, 86_400_000, "parkRetryMs");
            p.check(backoffInitialMs <= backoffMaxMs, "backoffInitialMs",
                    "must be <= send.backoffMaxMs (" + backoffMaxMs + "), was " + backoffInitialMs);
        }
    }

    public record CheckpointOptions(
            @Doc("checkpoint write interval")
            Long intervalMs,
            @Doc("forget checkpoints of files not seen this long")
            Long retentionMs) implements Checked {
        public CheckpointOptions {
            intervalMs = intervalMs == null ? 1_000L : intervalMs;
            retentionMs = retentionMs == null ? 86_400_000L : retentionMs;
        }

        @Override
        public void check(Problems p) {
            p.between(intervalMs, 10, 600_000, "intervalMs");
            p.between(retentionMs, 1_000, 365L * 86_400_000L, "retentionMs");
        }
    }

    public record StatusOptions(
            @Doc("ZooKeeper registration refresh (the task status `ds ctl` shows); not the metrics, which are built when scraped")
            Long intervalMs) implements Checked {
        public StatusOptions {
            intervalMs = intervalMs == null ? 5_000L : intervalMs;
        }

        @Override
        public void check(Problems p) {
            p.between(intervalMs, 100, 600_000, "intervalMs");
        }
    }

    /** {@code reports.*}; the token is read from {@code tokenFile} when that is set. */
    public record ReportOptions(
            @Doc("ds-control's base URL (`http://control:7400`): minute reports on")
            String controlUrl,
            @Doc("bearer token with control's `write` role")
            String token,
            @Doc("file holding the token (instead of `reports.token`; read at start)")
            String tokenFile,
            @Doc("how often changed minutes are pushed (100 to 3600000)")
            Long intervalMs,
            @Doc("minutes kept for re-sending while control does not acknowledge (2 to 10080)")
            Integer windowMinutes,
            @Doc("most (task, minute) counts held (100 to 10000000)")
            Integer maxCells,
            @Doc("connect and request timeout of one push (100 to 600000)")
            Long timeoutMs) implements Checked {
        public ReportOptions {
            token = token == null ? "" : token;
            intervalMs = intervalMs == null ? ReportSettings.DEFAULT_INTERVAL_MS : intervalMs;
            windowMinutes = windowMinutes == null ? ReportSettings.DEFAULT_WINDOW_MINUTES : windowMinutes;
            maxCells = maxCells == null ? ReportSettings.DEFAULT_MAX_CELLS : maxCells;
            timeoutMs = timeoutMs == null ? ReportSettings.DEFAULT_TIMEOUT_MS : timeoutMs;
            if (tokenFile != null && !tokenFile.isEmpty()) {
                Problems p = Problems.root();
                p.check(token.isEmpty(), "tokenFile", "give reports.token or reports.tokenFile, not both");
                String read = readToken(tokenFile, p, "tokenFile");
                token = read == null ? token : read;
                p.throwIfAny(WHAT);
            }
        }

        @Override
        public void check(Problems p) {
            String urlError = ReportSettings.checkUrl(controlUrl);
            if (urlError != null) {
                p.add("controlUrl", urlError);
            }
            p.between(intervalMs, 100, 3_600_000, "intervalMs");
            p.between(windowMinutes, 2, 10_080, "windowMinutes");
            p.between(maxCells, 100, 10_000_000, "maxCells");
            p.between(timeoutMs, 100, 600_000, "timeoutMs");
        }

        /** As the report sender takes them (off without a control URL). */
        public ReportSettings settings() {
            boolean on = controlUrl != null && !controlUrl.isEmpty() && ReportSettings.checkUrl(controlUrl) == null;
            return new ReportSettings(on ? URI.create(controlUrl) : null, token, intervalMs, windowMinutes, maxCells, timeoutMs);
        }

        @Override
        public String toString() {
            return "ReportOptions[controlUrl=" + controlUrl + ", token=" + (token.isEmpty() ? "" : "***") + "]";
        }
    }

    public AgentConfig {
        host = host == null ? localHostName() : host;
        id = id == null ? "agent-" + host : id;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        dataDir = dataDir == null ? Path.of("./data/agent") : dataDir;
        routers = routers == null ? List.of("localhost:7100") : List.copyOf(routers);
        zookeeper = zookeeper == null ? new ZooKeeperOptions(null, null, null, null, null) : zookeeper;
        auth = auth == null ? new AuthOptions(null, null) : auth;
        tls = tls == null ? TlsOptions.OFF : tls;
        http = http == null ? new HttpOptions(null, null) : http;
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        paths = paths == null ? new PathOptions(null) : paths;
        files = files == null ? new FileOptions(null, null, null, null, null, null, null, null, null) : files;
        discovery = discovery == null ? new DiscoveryOptions(null, null, null, null) : discovery;
        batch = batch == null ? new BatchOptions(null, null, null, null) : batch;
        send = send == null ? new SendOptions(null, null, null, null, null, null, null, null) : send;
        checkpoint = checkpoint == null ? new CheckpointOptions(null, null) : checkpoint;
        status = status == null ? new StatusOptions(null) : status;
        reports = reports == null ? new ReportOptions(null, null, null, null, null, null, null) : reports;
    }

    @Override
    public void check(Problems p) {
        p.check(id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}"), "id",
                "must be 1-128 of [A-Za-z0-9._-] starting with a letter or digit, was '" + id + "'");
        p.check(!host.isBlank() && host.length() <= 255, "host", "must be a non-empty host name of at most 255 characters");
        p.check(labels.size() <= 64, "labels", "at most 64 labels, got " + labels.size());
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().getBytes(StandardCharsets.UTF_8).length > 255) {
                p.at("labels").add(e.getKey(), "label names are 1-255 bytes");
            }
            if (e.getValue().getBytes(StandardCharsets.UTF_8).length > 1024) {
                p.at("labels").add(e.getKey(), "label values are at most 1024 bytes");
            }
        }
        for (int i = 0; i < routers.size(); i++) {
            p.at("routers").at(i).check(validAddress(routers.get(i)), "", "must be host:port, was '" + routers.get(i) + "'");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < tasks.size(); i++) {
            String taskId = tasks.get(i).id();
            p.at("tasks").at(i).check(taskId == null || ids.add(taskId), "id", "duplicate task id '" + taskId + "'");
        }
    }

    /** The token sent in HELLO (read from {@code auth.tokenFile} when that is set); empty = none. */
    public String authToken() {
        return auth.token();
    }

    /** The address the metrics port binds to. */
    public String httpHost() {
        return http.host();
    }

    /** The metrics port: 0 = any free port, -1 = off. */
    public int httpPort() {
        return http.port();
    }

    @Override
    public String toString() {
        return "AgentConfig[id=" + id + ", host=" + host + ", dataDir=" + dataDir + ", routers=" + routers + ", authToken="
                + (auth.token().isEmpty() ? "" : "***") + ", tls=" + tls + ", tasks=" + tasks.size() + "]";
    }

    /** The configuration of an agent started without a config file. */
    public static AgentConfig defaults() {
        return fromYaml("");
    }

    public static AgentConfig load(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem("", "cannot read " + file + ": " + e.getMessage())));
        }
        return fromYaml(yaml);
    }

    /** Reads and checks YAML text. @throws ConfigException listing every problem */
    public static AgentConfig fromYaml(String yaml) {
        try {
            return BINDER.fromYaml(AgentConfig.class, yaml, WHAT);
        } catch (io.datastream.config.ConfigException e) {
            throw new ConfigException(e.problemList());
        }
    }

    /** A local task: bound like every other section, then checked by the task's own rules (the same as the control API's). */
    private static TaskSpec task(JsonNode node, Problems at) {
        TaskSpec spec = ConfigBinder.strict().bind(TaskSpec.class, node, at);
        if (spec != null) {
            for (FieldError fe : spec.validate()) {
                at.add(fe.field(), fe.message());
            }
        }
        return spec;
    }

    private static String readToken(String file, Problems p, String key) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            p.add(key, "cannot read '" + file + "': " + e.getMessage());
            return null;
        }
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
