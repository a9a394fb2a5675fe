package io.datastream.agent;

import io.datastream.agent.batch.OutBatch;
import io.datastream.agent.batch.SendWindow;
import io.datastream.agent.checkpoint.AckedOffset;
import io.datastream.agent.checkpoint.CheckpointEntry;
import io.datastream.agent.checkpoint.CheckpointFile;
import io.datastream.agent.checkpoint.CheckpointFormat;
import io.datastream.agent.checkpoint.Checkpointer;
import io.datastream.agent.checkpoint.Progress;
import io.datastream.agent.checkpoint.ProgressInbox;
import io.datastream.agent.checkpoint.StreamInfo;
import io.datastream.agent.discovery.Discovery;
import io.datastream.agent.discovery.PathPolicy;
import io.datastream.agent.report.AgentReports;
import io.datastream.agent.ship.Shipper;
import io.datastream.agent.ship.ShipperSnapshot;
import io.datastream.agent.status.AgentMetrics;
import io.datastream.agent.status.AgentStatus;
import io.datastream.agent.status.StatusBuilder;
import io.datastream.agent.tail.FileStatus;
import io.datastream.agent.tail.Tailer;
import io.datastream.agent.tail.TailerSnapshot;
import io.datastream.agent.task.TaskSource;
import io.datastream.protocol.report.ReportSender;
import io.datastream.registry.ZkClients;
import io.datastream.registry.ZkLayout;
import io.datastream.registry.member.AgentInfo;
import io.datastream.registry.member.EphemeralRegistration;
import io.datastream.registry.member.MemberDirectory;
import io.datastream.registry.member.RouterInfo;
import io.datastream.registry.task.TaskDirectory;
import io.datastream.registry.task.TaskSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import io.netty.handler.ssl.SslContext;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running agent: discovery, tailer, shipper, checkpointer and status threads wired together
 * (docs/agent.md, "Architecture"). Start it with {@link #start(AgentConfig)}; {@link #close()}
 * stops reading, waits briefly for in-flight acknowledgements, writes the final checkpoint and
 * deregisters.
 *
 * <pre>
 * try (Agent agent = Agent.start(AgentConfig.load(Path.of("agent.yaml")))) {
 *     ...
 * }
 * </pre>
 */
public final class Agent implements AutoCloseable {
    private static final long METRICS_FRESH_MS = 500;
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    /** The software version reported to routers and ZooKeeper. */
    public static final String VERSION = Agent.class.getPackage().getImplementationVersion() == null
            ? "0.1.0-SNAPSHOT" : Agent.class.getPackage().getImplementationVersion();

    private final AgentConfig config;
    private final LongSupplier clock = System::currentTimeMillis;
    private final long startedAt = System.currentTimeMillis();
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final SendWindow window;
    private final Tailer tailer;
    private final Discovery discovery;
    private final Shipper shipper;
    private final Checkpointer checkpointer;
    private final TaskSource taskSource;
    private final CompletableFuture<Throwable> died = new CompletableFuture<>();
    private final Thread tailerThread;
    private final Thread discoveryThread;
    private final ScheduledExecutorService checkpointExecutor;
    private final ScheduledExecutorService statusExecutor;
    private final CuratorFramework zk;
    private final MemberDirectory<RouterInfo> routers;
    private final TaskDirectory taskDirectory;
    private final AgentMetrics metrics;
    private final AgentReports reports;
    private volatile int httpPort = -1;
    private volatile EphemeralRegistration registration;
    private volatile boolean started;
    private volatile TailerSnapshot lastTailer;
    /** Where the tailer pushes its progress for the checkpointer. */
    private final ProgressInbox<StreamInfo> tailerProgress = ProgressInbox.streams();
    /** The open minute of the tailer's last push (its thread only). */
    private long announcedMinute = -1;
    private volatile ShipperSnapshot lastShipper;
    private volatile AgentStatus status = AgentStatus.EMPTY;
    private volatile long statusBuiltMillis = Long.MIN_VALUE / 2;
    private volatile boolean closed;
    /** Lines read again that were counted as read before, per task (tailer thread writes). */
    private final Map<String, java.util.concurrent.atomic.LongAdder> reread = new java.util.concurrent.ConcurrentHashMap<>();

    private Agent(AgentConfig config) throws IOException {
        this.config = config;
        SslContext ssl = Shipper.tlsContext(config.tls()); // before anything is opened: a bad file fails the start
        Files.createDirectories(config.dataDir());
        this.lockChannel = FileChannel.open(config.dataDir().resolve("agent.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
        if (l == null) {
            lockChannel.close();
            throw new IllegalStateException("dataDir " + config.dataDir() + " is used by another running agent");
        }
        this.lock = l;
        CheckpointFile file = new CheckpointFile(config.dataDir());
        List<CheckpointEntry> entries;
        CheckpointFormat.Contents loaded;
        try {
            loaded = file.load();
            entries = loaded.entries();
        } catch (IOException e) {
            l.release();
            lockChannel.close();
            throw e;
        }
        LOG.info("agent {} on {}: {} checkpoints in {}", config.id(), config.host(), entries.size(), file.path());

        if (config.zookeeper().enabled()) {
            ZkLayout layout = new ZkLayout(config.zookeeper().root());
            zk = ZkClients.start(config.zookeeper().connect(), Duration.ofMillis(config.zookeeper().sessionTimeoutMs()),
                    config.zookeeper().credentials(), layout);
            routers = MemberDirectory.routers(zk, layout).start();
            taskDirectory = new TaskDirectory(zk, layout);
        } else {
            zk = null;
            routers = null;
            taskDirectory = null;
        }
        this.window = new SendWindow(config.send().windowBatches(), config.send().windowBytes());
        this.reports = config.reports().settings().enabled() ? new AgentReports(config.reports().settings(), config.id(), this::status, clock) : null;
        if (reports != null) {
            java.util.Set<String> tasks = new java.util.HashSet<>();
            entries.forEach(e -> tasks.add(e.taskId()));
            reports.restore(loaded.counts(), loaded.writtenAtMillis(), tasks);
        }
        this.tailer = new Tailer(config, this::built, window, entries, clock);
        this.shipper = new Shipper(config, window, tailer, () -> routers == null ? List.of() : routers.members(), clock, ssl);
        if (reports != null) {
            shipper.outcomes(reports);
        }
        ProgressInbox<AckedOffset> acked = ProgressInbox.acked();
        shipper.progressTo(acked::offer);
        tailer.progressTo(this::tailerProgress);
        this.discovery = new Discovery(config.discovery(), new PathPolicy(config.paths().allow()), tailer, clock);
        this.checkpointer = new Checkpointer(file, entries, loaded.counts(), tailerProgress, acked, config.checkpoint().retentionMs(),
                reports == null ? 0 : config.reports().settings().windowMinutes(), clock);
        if (reports != null) {
            // exact minute counts across a crash: new lines are read in a minute a written checkpoint holds
            tailer.persistKeys(loaded.openMinute());
            checkpointer.openMinute(loaded.openMinute()).afterWrite(tailer::persisted);
        }
        this.taskSource = new TaskSource(config.tasks(), config.host(), config.labels(), this::onTasks);
        this.tailerThread = core(tailer, "ds-agent-tailer", died);
        this.discoveryThread = core(discovery, "ds-agent-discovery", died);
        this.checkpointExecutor = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ds-agent-checkpointer"));
        this.statusExecutor = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ds-agent-status"));
        this.metrics = new AgentMetrics(this::metricsStatus);
        PathPolicy policy = discovery.policy();
        CounterWithCallback.builder().name("ds_agent_paths_refused")
                .help("Tasks and symlinks refused by paths.allow, each glob or link once, by task and reason "
                        + "(outside_allow, system, symlink_outside_root)")
                .labelNames("task", "reason").callback(cb -> policy.counts().forEach((task, m) ->
                        m.forEach((reason, n) -> cb.call(n, task, reason.label())))).register(metrics.registry());
        if (reports != null) {
            reports.register(metrics.registry());
        }
        CounterWithCallback.builder().name("ds_agent_lines_reread")
                .help("Lines read again that were already counted as read (after a rewind, or after a restart below the checkpoint's "
                        + "counted offset): sent again, not counted as read again, by task")
                .labelNames("task").callback(cb -> reread.forEach((task, n) -> cb.call(n.sum(), task))).register(metrics.registry());
    }

    /**
     * The tailer's progress (its thread): kept for the checkpointer; a new open minute makes the
     * checkpointer write at once, since new lines wait for a checkpoint that holds it.
     */
    private void tailerProgress(Progress<StreamInfo> p) {
        tailerProgress.offer(p);
        if (p.openMinute() >= 0 && p.openMinute() != announcedMinute) {
            announcedMinute = p.openMinute();
            try {
                checkpointExecutor.execute(checkpointer::tick);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.debug("checkpointer stopped; the final checkpoint takes the open minute");
            }
        }
    }

    /** A batch the tailer built: counted as read (minute reports) unless it is a re-read, then shipped. */
    private void built(OutBatch b) {
        if (b.reread()) {
            reread.computeIfAbsent(b.taskId(), k -> new java.util.concurrent.atomic.LongAdder()).add(b.records());
        }
        if (reports != null) {
            reports.read(b);
        }
        shipper.submit(b);
    }

    /**
     * A thread the agent cannot work without (the tailer, discovery): when it dies of an exception
     * its own loop did not survive (an {@link Error}, such as a stack overflow), {@code died} is
     * completed with it, and the agent's process exits ({@link #died()}) so that a supervisor starts
     * it again from its checkpoint instead of an agent that runs on without reading.
     */
    static Thread core(Runnable r, String name, CompletableFuture<Throwable> died) {
        Thread t = daemon(r, name);
        t.setUncaughtExceptionHandler((thread, e) -> {
            LOG.error("thread {} died; the agent cannot go on without it", thread.getName(), e);
            died.complete(e);
        });
        return t;
    }

    /**
     * Completed when a thread the agent cannot work without died (with what killed it); never while
     * the agent works. {@code ds agent} exits with status 70 then (its shutdown closes the agent).
     */
    public CompletableFuture<Throwable> died() {
        return died;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts an agent; throws when the config or the data directory is unusable. */
    public static Agent start(AgentConfig config) {
        Agent a;
        try {
            a = new Agent(config);
        } catch (IOException e) {
            throw new UncheckedIOException("agent did not start: " + e.getMessage(), e);
        }
        try {
            a.run();
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
        return a;
    }

    private void run() {
        if (config.httpPort() >= 0) {
            try {
                httpPort = metrics.serve(config.httpHost(), config.httpPort(), this::files);
            } catch (IOException e) {
                throw new UncheckedIOException("agent did not start: metrics port " + config.httpHost() + ":" + config.httpPort()
                        + " (http.port): " + e.getMessage(), e);
            }
        }
        if (zk != null) {
            registration = new EphemeralRegistration(zk, new ZkLayout(config.zookeeper().root()).agent(config.id()), info()).start();
        }
        started = true;
        tailerThread.start();
        discoveryThread.start();
        shipper.start();
        if (reports != null) {
            reports.start();
        }
        taskSource.start();
        if (taskDirectory != null) {
            taskSource.follow(taskDirectory);
            taskDirectory.start();
        }
        long cp = config.checkpoint().intervalMs();
        checkpointExecutor.scheduleWithFixedDelay(checkpointer::tick, cp, cp, TimeUnit.MILLISECONDS);
        long st = config.status().intervalMs();
        statusExecutor.scheduleWithFixedDelay(this::refreshStatus, Math.min(st, 1000), st, TimeUnit.MILLISECONDS);
        LOG.info("agent {} started; routers {}{}; metrics on port {}", config.id(), config.routers(),
                zk == null ? "" : " and ZooKeeper " + config.zookeeper().connect(), httpPort);
    }

    private void onTasks(Map<String, TaskSpec> tasks) {
        tailer.setTasks(tasks);
        discovery.setTasks(tasks);
        shipper.tasks(tasks.keySet());
    }

    private void refreshStatus() {
        try {
            buildStatus();
            EphemeralRegistration reg = registration;
            if (reg != null) {
                reg.update(info());
            }
        } catch (Exception e) {
            LOG.warn("status refresh failed: {}", e.toString());
        }
    }

    private AgentStatus buildStatus() {
        long now = clock.getAsLong();
        AgentStatus s = StatusBuilder.build(tailerSnapshot(), shipperSnapshot(), checkpointer.writes(), now);
        status = s;
        statusBuiltMillis = now;
        return s;
    }

    /** The tailer now (a snapshot: taking it changes nothing), or the last one when it does not answer. */
    private TailerSnapshot tailerSnapshot() {
        lastTailer = answerOr(tailer.snapshot(), lastTailer, "tailer");
        return lastTailer;
    }

    /** The shipper now (a snapshot: taking it changes nothing), or the last one when it does not answer. */
    private ShipperSnapshot shipperSnapshot() {
        lastShipper = answerOr(shipper.snapshot(), lastShipper, "shipper");
        return lastShipper;
    }

    /** The answer within 2 s, else {@code last}. */
    private static <T> T answerOr(java.util.concurrent.Future<T> answer, T last, String who) {
        try {
            return answer.get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("{} snapshot: {}", who, e.toString());
        }
        return last;
    }

    /**
     * The status /metrics shows: built again from snapshots of the tailer and the shipper taken
     * then, when the last one is over {@value #METRICS_FRESH_MS} ms old, whatever status.intervalMs
     * (the ZooKeeper refresh) is. One scrape reads many metrics: they share one status.
     */
    private AgentStatus metricsStatus() {
        if (clock.getAsLong() - statusBuiltMillis >= METRICS_FRESH_MS) {
            return buildStatus();
        }
        return status;
    }

    private AgentInfo info() {
        AgentStatus s = status;
        return new AgentInfo(config.id(), config.host(), VERSION, config.labels(), new ArrayList<>(taskSource == null
                ? List.of() : taskSource.current().keySet()), s.tasks(), s.router(), startedAt, clock.getAsLong(), httpAddress(),
                config.paths().allow().stream().map(Path::toString).toList());
    }

    /**
     * Where control reaches /files: the metrics port on http.host, or on the agent's host name when
     * it binds every address; null when the port is off.
     */
    private String httpAddress() {
        int port = httpPort;
        if (port < 0) {
            return null;
        }
        String h = config.httpHost();
        if (h == null || h.isEmpty() || h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]")) {
            h = config.host();
        }
        return (h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h) + ":" + port;
    }

    public String id() {
        return config.id();
    }

    public AgentConfig config() {
        return config;
    }

    /** The bound metrics port, or -1 when http.port is -1. */
    public int httpPort() {
        return httpPort;
    }

    /** The status now (from snapshots of the tailer and the shipper taken now). */
    public AgentStatus status() {
        return buildStatus();
    }

    /**
     * Why the last connection to a router failed or was refused (TLS handshake, ERROR frame, TCP
     * connect), in one line; null once a router has answered HELLO.
     */
    public String routerError() {
        return shipper.connectionError();
    }

    /** The minute reports' counts, when reports are on. */
    public java.util.Optional<ReportSender.Stats> reportStats() {
        return reports == null ? java.util.Optional.empty() : java.util.Optional.of(reports.stats());
    }

    /** Every followed file with its state. */
    public List<FileStatus> files() {
        try {
            return tailer.fileStatuses().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return List.of();
        }
    }

    /** The tasks running now. */
    public Map<String, TaskSpec> tasks() {
        return taskSource.current();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("agent {} stopping", config.id());
        discovery.close();
        tailer.close();
        try {
            discoveryThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            shipper.drain(Math.min(5_000, config.send().drainTimeoutMs())).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("draining: {}", e.toString());
        }
        try {
            shipper.flushProgress().get(10, TimeUnit.SECONDS); // the last acknowledgements, for the final checkpoint
        } catch (Exception e) {
            LOG.debug("flushing acknowledged progress: {}", e.toString());
        }
        checkpointExecutor.shutdown();
        try {
            checkpointExecutor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (started) {
            checkpointer.finish();
            refreshStatus();
        }
        statusExecutor.shutdownNow();
        shipper.close();
        if (reports != null) {
            reports.close(); // after the shipper: its last acknowledgements and discards are in
        }
        metrics.close();
        EphemeralRegistration reg = registration;
        if (reg != null) {
            try {
                reg.close();
            } catch (IOException e) {
                LOG.debug("deregistering: {}", e.toString());
            }
        }
        if (taskDirectory != null) {
            taskDirectory.close();
        }
        if (routers != null) {
            routers.close();
        }
        if (zk != null) {
            zk.close();
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.debug("releasing the data dir lock: {}", e.toString());
        }
        LOG.info("agent {} stopped", config.id());
    }
}
