package io.datastream.deploy.standalone;

import io.datastream.agent.Agent;
import io.datastream.agent.AgentConfig;
import io.datastream.config.ByteSize;
import io.datastream.config.ConfigBuilder;
import io.datastream.control.ControlConfig;
import io.datastream.control.InvalidConfigException;
import io.datastream.control.ControlServer;
import io.datastream.deploy.sinkmetrics.SinkCounters;
import io.datastream.deploy.sinkmetrics.SinkMetricsReporter;
import io.datastream.deploy.sinkmetrics.SinkRegistration;
import io.datastream.deploy.sinkmetrics.SinkReporting;
import io.datastream.deploy.standalone.StandaloneConfig.Component;
import io.datastream.protocol.report.ReportSettings;
import io.datastream.registry.ZkClients;
import io.datastream.registry.ZkLayout;
import io.datastream.registry.task.TaskNotFoundException;
import io.datastream.registry.task.TaskSpec;
import io.datastream.registry.task.TaskStore;
import io.datastream.router.Router;
import io.datastream.router.RouterConfig;
import io.datastream.router.config.ConfigException;
import io.datastream.router.config.HttpConfig;
import io.datastream.router.config.HttpSourceConfig;
import io.datastream.router.config.KafkaConfig;
import io.datastream.router.config.ListenConfig;
import io.datastream.router.config.ReportsConfig;
import io.datastream.router.config.ZooKeeperConfig;
import io.datastream.sink.SinkJob;
import io.datastream.sink.config.DeadLetterConfig;
import io.datastream.sink.config.JobConfig;
import io.datastream.sink.config.OutputConfig;
import io.datastream.sink.config.SinkConfig;
import io.datastream.embedded.kafka.EmbeddedKafka;
import io.datastream.embedded.zk.EmbeddedZooKeeper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline in one JVM. Starts the chosen components in order (ZooKeeper, Kafka,
 * control, router, agent, sink), each only after the one before accepts requests, and stops
 * them in reverse order. All state lives under the data directory:
 *
 * <pre>
 * DIR/zk/            ZooKeeper data (tasks)
 * DIR/kafka/         Kafka log
 * DIR/agent/         the agent's checkpoints (acked offsets per file)
 * DIR/sink/          Flink checkpoints and savepoints (Kafka offsets, delivered ranges)
 * DIR/logs/          read: the default task tails DIR/logs/**.log
 * DIR/out/           written: DIR/out/default/dt=YYYY-MM-DD/hour=HH/part-*.zst
 * DIR/dead-letters/  records that were not valid envelopes
 * DIR/control/       the control server's per-minute counts and alerts (metrics.db)
 * </pre>
 */
public final class Standalone implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Standalone.class);

    /** The task created on first start; it reads every *.log under DIR/logs. */
    public static final String DEFAULT_TASK = "default";
    public static final String DEFAULT_TOPIC = "ds-default";
    /** The task id of events posted to the HTTP source (its default channel's task): output in DIR/out/events/. */
    public static final String EVENTS_TASK = "events";
    public static final String EVENTS_TOPIC = "ds-events";

    private final StandaloneConfig cfg;
    private final PrintStream out;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private Agent agent;
    private JobClient sinkJob;
    private DemoLogWriter demo;
    private Progress progress;
    /** Where the components push their minute reports, or null (no control here, or reports off). */
    private ReportSettings reports;

    private Standalone(StandaloneConfig cfg, PrintStream out) {
        this.cfg = cfg;
        this.out = out;
    }

    /** Starts everything {@code cfg} asks for; on failure stops what was started and throws. */
    public static Standalone start(StandaloneConfig cfg, PrintStream out) throws Exception {
        Standalone s = new Standalone(cfg, out);
        try {
            s.startAll();
            return s;
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        Preflight.check(cfg);
        Path dir = cfg.dataDir().toAbsolutePath();
        Files.createDirectories(dir);
        Files.createDirectories(cfg.logsDir());
        Files.createDirectories(cfg.outDir());
        String bind = cfg.bindAddress();
        String zkConnect = cfg.clientHost() + ":" + cfg.zookeeperPort();
        String kafka = cfg.clientHost() + ":" + cfg.kafkaPort();
        if (cfg.bindsBeyondLoopback()) {
            say("warning    --bind " + bind + ": ZooKeeper, Kafka, control, the router and Flink's REST API accept connections"
                    + " from the network, without authentication unless configured");
        }

        if (cfg.runs(Component.ZOOKEEPER)) {
            EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(bind, cfg.zookeeperPort(), Files.createDirectories(dir.resolve("zk")));
            started.push(zk);
            say("zookeeper  listening on " + zk.connectString());
        }
        if (cfg.runs(Component.KAFKA)) {
            EmbeddedKafka k = EmbeddedKafka.builder().host(bind).advertisedHost(cfg.clientHost())
                    .port(cfg.kafkaPort()).controllerPort(cfg.kafkaControllerPort())
                    .logDir(dir.resolve("kafka")).defaultPartitions(2).build().start();
            started.push(k);
            k.createTopic(DEFAULT_TOPIC, 2);
            k.createTopic(EVENTS_TOPIC, 2);
            say("kafka      listening on " + k.bootstrapServers() + " (KRaft)");
        }
        if (cfg.runs(Component.CONTROL)) {
            ControlServer control = ControlServer.start(ConfigBuilder.of(ControlConfig.class)
                    .set(ControlConfig::http, new ControlConfig.Http(bind, cfg.controlPort(), null))
                    .set(ControlConfig::store, new ControlConfig.Store(dir.resolve("control").resolve("metrics.db").toString(), null, null, null, null))
                    .set(ControlConfig::zookeeper, new ControlConfig.ZooKeeper(zkConnect, null, null, null, null, null))
                    .build(InvalidConfigException.WHAT));
            started.push(control);
            if (!cfg.reportInterval().isZero()) {
                reports = ReportSettings.to("http://" + cfg.clientHost() + ":" + control.port()).withIntervalMs(cfg.reportInterval().toMillis());
            }
            ensureDefaultTask(zkConnect);
            say("control    REST API on " + control.localUrl());
        }
        if (cfg.runs(Component.ROUTER)) {
            Router router = Router.start(ConfigBuilder.of(RouterConfig.class)
                    .set(RouterConfig::id, "standalone-router")
                    .set(RouterConfig::listen, new ListenConfig(bind, cfg.routerPort(), null, null))
                    .set(RouterConfig::http, new HttpConfig(bind, cfg.routerHttpPort()))
                    .set(RouterConfig::kafka, new KafkaConfig(kafka, null, null, null, null, null))
                    .set(RouterConfig::zookeeper, new ZooKeeperConfig(zkConnect, null, null, null, null, null))
                    .set(RouterConfig::reports, routerReports())
                    .set(RouterConfig::httpSource, HttpSourceConfig.enabledDefaults().withAddress(bind, cfg.eventsPort()))
                    .build(ConfigException.WHAT).validate());
            started.push(router);
            say("router     accepting agents on localhost:" + router.port() + ", health on :" + router.httpPort());
            say("events     POST http://" + cfg.clientHost() + ":" + router.eventsPort() + "/v1/events -> topic " + EVENTS_TOPIC
                    + " -> " + cfg.outDir().resolve(EVENTS_TASK) + " (loopback clients need no token)");
        }
        if (cfg.runs(Component.SINK)) {
            startSink(dir, kafka);
            say("sink       Flink job running, output in " + cfg.outDir() + " (checkpoint every "
                    + cfg.checkpointInterval().toMillis() + " ms), metrics on " + cfg.bindAddress() + ":" + cfg.sinkMetricsPort());
        }
        if (cfg.runs(Component.AGENT)) {
            agent = Agent.start(ConfigBuilder.of(AgentConfig.class)
                    .set(AgentConfig::id, "standalone-agent")
                    .set(AgentConfig::dataDir, dir.resolve("agent"))
                    // tasks may read the data directory (the default task reads DATA/logs; tasks created
                    // with ds ctl often use a directory beside it), not the rest of the machine
                    .set(AgentConfig::paths, new AgentConfig.PathOptions(List.of(dir)))
                    .set(AgentConfig::routers, List.of(cfg.clientHost() + ":" + cfg.routerPort()))
                    .set(AgentConfig::http, new AgentConfig.HttpOptions(bind, cfg.agentHttpPort()))
                    .set(AgentConfig::zookeeper, new AgentConfig.ZooKeeperOptions(zkConnect, null, null, null, null))
                    .set(AgentConfig::reports, agentReports())
                    .build(AgentConfig.WHAT));
            started.push(agent);
            say("agent      reading " + cfg.logsDir() + "/**.log, metrics on " + bind + ":" + cfg.agentHttpPort());
        }
        if (cfg.demo()) {
            demo = new DemoLogWriter(cfg.logsDir().resolve("demo"), cfg.demoLinesPerSecond()).start();
            started.push(demo);
            say("demo       writing " + cfg.demoLinesPerSecond() + " lines/s into " + cfg.logsDir().resolve("demo"));
        }
        if (!cfg.progressInterval().isZero()) {
            progress = new Progress(out, cfg.progressInterval(), agent, cfg.outDir(), SinkCounters.JVM).start();
            started.push(progress);
        }
        say("ready: the pipeline accepts data; write *.log files under " + cfg.logsDir() + " (Ctrl-C stops)");
    }

    private void ensureDefaultTask(String zkConnect) throws Exception {
        try (CuratorFramework zk = ZkClients.start(zkConnect)) {
            zk.blockUntilConnected(30, TimeUnit.SECONDS);
            TaskStore store = new TaskStore(zk, ZkLayout.defaults());
            try {
                store.get(DEFAULT_TASK);
            } catch (TaskNotFoundException e) {
                String logs = cfg.logsDir().toAbsolutePath().toString();
                store.create(TaskSpec.of(DEFAULT_TASK, List.of(logs + "/*.log", logs + "/**/*.log"), DEFAULT_TOPIC), "ds standalone");
                say("control    created task '" + DEFAULT_TASK + "' reading " + logs + "/**.log into topic " + DEFAULT_TOPIC);
            }
        }
    }

    private void startSink(Path dir, String kafka) throws Exception {
        Path state = Files.createDirectories(dir.resolve("sink"));
        Path checkpoints = state.resolve("checkpoints");
        Path savepoints = state.resolve("savepoints");
        SinkConfig sink = ConfigBuilder.of(SinkConfig.class)
                .set(SinkConfig::kafka, new io.datastream.sink.config.KafkaConfig(kafka, null, Progress.SINK_TOPICS.pattern(), null, null, Duration.ofSeconds(10), null, null))
                .set(SinkConfig::output, new OutputConfig(cfg.outDir().toUri().toString(), null, null, null, null, null, (ByteSize) null, null))
                .set(SinkConfig::deadLetter, new DeadLetterConfig(dir.resolve("dead-letters").toUri().toString()))
                .set(SinkConfig::job, new JobConfig("ds-standalone-sink", 1, cfg.checkpointInterval(), checkpoints.toUri().toString()))
                .build(io.datastream.sink.config.ConfigException.WHAT);

        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 2);
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(64));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.ofMebiBytes(32));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.ofMebiBytes(32));
        String bind = cfg.bindAddress();
        SinkMetricsReporter.configure(conf, bind, cfg.sinkMetricsPort());
        // Flink's REST API (job submission) and blob server listen where everything else does
        conf.setString("rest.bind-address", bind);
        conf.setString("rest.address", cfg.clientHost());
        conf.setString("jobmanager.bind-host", bind);
        conf.setString("taskmanager.bind-host", bind);
        Optional<Path> restore = FlinkRestore.latest(checkpoints, savepoints);
        if (restore.isPresent()) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restore.get().toUri().toString());
            say("sink       resuming from " + restore.get());
        }
        FlinkRestore.prune(restore.orElse(null), FlinkRestore.DEFAULT_RETAINED, checkpoints, savepoints);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
        SinkJob.configureEnvironment(env, sink);
        SinkJob.define(env, sink);
        sinkJob = env.executeAsync(sink.job().name());
        // the per-task counts for ds ctl task get, in the ZooKeeper the other components use
        started.push(SinkRegistration.start("standalone-sink", cfg.clientHost() + ":" + cfg.zookeeperPort(), ZkLayout.DEFAULT_ROOT,
                SinkCounters.JVM, Duration.ofSeconds(2)));
        if (reports != null) {
            // closed after the job stopped: the stop's savepoint commits, and counts, the last files
            started.push(SinkReporting.start(reports, "standalone-sink"));
        }
        Path savepointDir = savepoints;
        started.push(() -> stopSink(savepointDir));
    }

    /** Stops the job with a savepoint, which commits the last files; cancels if that fails. */
    private void stopSink(Path savepoints) {
        if (sinkJob == null) {
            return;
        }
        try {
            String sp = sinkJob.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(60, TimeUnit.SECONDS);
            LOG.info("sink stopped with savepoint {}", sp);
        } catch (Exception e) {
            LOG.warn("sink did not stop with a savepoint ({}); cancelling; the next start resumes from the last checkpoint", e.toString());
            try {
                sinkJob.cancel().get(30, TimeUnit.SECONDS);
            } catch (Exception e2) {
                LOG.warn("sink cancel failed: {}", e2.toString());
            }
        }
        sinkJob = null;
    }

    private ReportsConfig routerReports() {
        return reports == null ? ReportsConfig.off() : new ReportsConfig(reports.controlUrl().toString(), null, null,
                reports.intervalMs(), null, null, null);
    }

    private AgentConfig.ReportOptions agentReports() {
        return reports == null ? null : new AgentConfig.ReportOptions(reports.controlUrl().toString(), null, null, reports.intervalMs(),
                null, null, null);
    }

    /** Where the components report to, when control runs here and reports are on. */
    public Optional<ReportSettings> reports() {
        return Optional.ofNullable(reports);
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }

    public Optional<Agent> agent() {
        return Optional.ofNullable(agent);
    }

    /** Stops everything in reverse start order; every component gets its turn even if one fails. */
    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }

    /** For tests and the command: how long to wait between progress lines. */
    Duration progressInterval() {
        return cfg.progressInterval();
    }
}
