package io.datastream.it.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * The whole cluster on one Docker network, from the datastream/*:local images: zookeeper, kafka,
 * control, router1 and router2 behind haproxy, agent-1..3 and the sink. Host directories under
 * {@code root} are bind-mounted: logs/agent-N (each agent's /logs, written by the test),
 * agent-data/agent-N (checkpoints), sink (the sink's output), conf (generated configs).
 * Container output goes to {@code logDir}/&lt;name&gt;.log.
 */
final class DockerCluster implements AutoCloseable {
    static final int AGENTS = 3;
    static final int ROUTERS = 2;
    /** One local task per scenario, each with its own directory and topic. */
    static final List<String> TASKS = List.of("s1", "s2", "s3", "s4", "s5");
    /** The task of the agent-restart scenario: its globs also match rotated names (app.log.N). */
    static final String RESTART_TASK = "s3";
    static final int AGENT_WINDOW_BATCHES = 8;
    static final int AGENT_BATCH_BYTES = 262_144;

    final Path root;
    private final Path logDir;
    private final Network network;
    private final DockerClient docker;
    final int kafkaHostPort;
    private final List<GenericContainer<?>> all = new ArrayList<>();
    private GenericContainer<?> kafka;
    private final GenericContainer<?>[] routers = new GenericContainer<?>[ROUTERS];
    private final GenericContainer<?>[] agents = new GenericContainer<?>[AGENTS];

    private DockerCluster(Path root, Path logDir) {
        this.root = root;
        this.logDir = logDir;
        this.network = Network.newNetwork();
        this.docker = DockerClientFactory.instance().client();
        this.kafkaHostPort = freePort();
    }

    static DockerCluster start(Path root, Path logDir) throws IOException {
        Files.createDirectories(logDir);
        DockerCluster c = new DockerCluster(root, logDir);
        try {
            c.startAll();
        } catch (RuntimeException | IOException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void startAll() throws IOException {
        for (String d : List.of("conf", "sink")) {
            Files.createDirectories(root.resolve(d));
        }
        for (int i = 1; i <= AGENTS; i++) {
            for (String task : TASKS) {
                Files.createDirectories(logsDir(i).resolve(task));
            }
            Files.createDirectories(root.resolve("agent-data").resolve(agentId(i)));
        }
        GenericContainer<?> zookeeper = container("zookeeper", "zookeeper")
                .waitingFor(Wait.forLogMessage(".*binding to port.*", 1).withStartupTimeout(Duration.ofMinutes(1)));
        kafka = container("kafka", "kafka")
                .withEnv("KAFKA_ADVERTISED_HOST", "kafka")
                .withEnv("KAFKA_EXTERNAL_ADVERTISED", "localhost:" + kafkaHostPort)
                .withEnv("JAVA_OPTS", "-Xmx512m -XX:+UseSerialGC")
                .waitingFor(Wait.forLogMessage(".*Kafka Server started.*", 1).withStartupTimeout(Duration.ofMinutes(2)));
        kafka.setPortBindings(List.of(kafkaHostPort + ":9094"));
        Startables.deepStart(zookeeper, kafka).join();

        GenericContainer<?> control = container("control", "control")
                .withEnv("JAVA_OPTS", "-Xmx128m -XX:+UseSerialGC")
                .withExposedPorts(7400)
                .waitingFor(Wait.forHttp("/health").forPort(7400).forStatusCode(200).withStartupTimeout(Duration.ofMinutes(1)));
        for (int i = 0; i < ROUTERS; i++) {
            routers[i] = newRouter(i);
        }
        GenericContainer<?> haproxy = container("haproxy", "haproxy")
                .withExposedPorts(7001, 7002)
                .waitingFor(Wait.forHttp("/healthz").forPort(7001).forStatusCode(200).withStartupTimeout(Duration.ofMinutes(1)));
        write("sink.yaml", """
                kafka:
                  bootstrapServers: "kafka:9092"
                  topicPattern: "ds-s[0-9]+"
                  partitionDiscoveryInterval: 2s
                output:
                  path: "file:///data/out"
                deadLetter:
                  path: "file:///data/dead-letters"
                job:
                  checkpointInterval: 2s
                """);
        GenericContainer<?> sink = container("sink", "sink")
                .withEnv("JAVA_OPTS", "-Xmx512m -XX:MaxDirectMemorySize=256m -XX:+UseSerialGC")
                .withFileSystemBind(conf("sink.yaml"), "/etc/datastream/sink.yaml", BindMode.READ_ONLY)
                .withFileSystemBind(root.resolve("sink").toString(), "/data", BindMode.READ_WRITE)
                .waitingFor(Wait.forLogMessage(".*sink job .* running.*", 1).withStartupTimeout(Duration.ofMinutes(2)));
        Startables.deepStart(control, routers[0], routers[1], haproxy, sink).join();

        for (int i = 1; i <= AGENTS; i++) {
            agents[i - 1] = newAgent(i);
        }
        Startables.deepStart(agents).join();
    }

    private GenericContainer<?> newRouter(int index) {
        String name = routerName(index);
        write(name + ".yaml", """
                id: %s
                listen: {host: 0.0.0.0, port: 7100}
                http: {host: 0.0.0.0, port: 7101}
                kafka: {bootstrapServers: "kafka:9092"}
                pool: {capacityBytes: 33554432}
                drain: {timeoutMs: 20000}
                defaultRoute: {topic: "ds-{task}"}
                """.formatted(name));
        return container("router", name)
                .withEnv("JAVA_OPTS", "-Xmx256m -XX:MaxDirectMemorySize=96m -XX:+UseSerialGC")
                .withFileSystemBind(conf(name + ".yaml"), "/etc/datastream/router.yaml", BindMode.READ_ONLY)
                .withExposedPorts(7101)
                .waitingFor(Wait.forHttp("/health").forPort(7101).forStatusCode(200).withStartupTimeout(Duration.ofMinutes(1)));
    }

    private GenericContainer<?> newAgent(int i) {
        StringBuilder tasks = new StringBuilder();
        for (String task : TASKS) {
            tasks.append("  - id: ").append(task).append('\n')
                    .append("    paths: [\"/logs/").append(task).append("/*.log\"");
            if (task.equals(RESTART_TASK)) {
                // the agent only finds files its globs match: a file rotated out of the glob while the
                // agent is down would never be read again (its unread tail lost, and not counted). The
                // task of the agent-restart scenario matches the rotated names too, as users must.
                tasks.append(", \"/logs/").append(task).append("/*.log.*\"");
            }
            tasks.append("]\n    topic: ds-").append(task).append('\n');
        }
        write(agentId(i) + ".yaml", """
                id: %s
                dataDir: /var/lib/datastream/agent
                http: {host: 0.0.0.0, port: 7200}
                paths: {allow: [/logs]}
                zookeeper: {connect: "zookeeper:2181"}
                routers: ["haproxy:7000"]
                files: {releaseAfterMs: 2000}
                discovery: {intervalMs: 1000}
                batch: {maxBytes: %d}
                send: {windowBatches: %d, backoffMaxMs: 2000}
                tasks:
                %s""".formatted(agentId(i), AGENT_BATCH_BYTES, AGENT_WINDOW_BATCHES, tasks));
        return container("agent", agentId(i))
                .withEnv("JAVA_OPTS", "-Xmx128m -XX:+UseSerialGC")
                .withCreateContainerCmdModifier(cmd -> cmd.withHostName(agentId(i)))
                .withFileSystemBind(conf(agentId(i) + ".yaml"), "/etc/datastream/agent.yaml", BindMode.READ_ONLY)
                .withFileSystemBind(logsDir(i).toString(), "/logs", BindMode.READ_ONLY)
                .withFileSystemBind(root.resolve("agent-data").resolve(agentId(i)).toString(), "/var/lib/datastream/agent",
                        BindMode.READ_WRITE)
                .withExposedPorts(7200)
                .waitingFor(Wait.forHttp("/metrics").forPort(7200).forStatusCode(200).withStartupTimeout(Duration.ofMinutes(1)));
    }

    private GenericContainer<?> container(String image, String alias) {
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(LocalImages.image(image)))
                .withNetwork(network)
                .withNetworkAliases(alias)
                .withLogConsumer(new FileLog(logDir.resolve(alias + ".log")));
        all.add(c);
        return c;
    }

    static String agentId(int i) {
        return "agent-" + i;
    }

    static String routerName(int index) {
        return "router" + (index + 1);
    }

    Path logsDir(int agent) {
        return root.resolve("logs").resolve(agentId(agent));
    }

    Path outputDir(String task) {
        return root.resolve("sink").resolve("out").resolve(task);
    }

    String kafkaBootstrap() {
        return "localhost:" + kafkaHostPort;
    }

    /** Agent container i (1-based). */
    GenericContainer<?> agent(int i) {
        return agents[i - 1];
    }

    /** Router container i (1-based). */
    GenericContainer<?> router(int i) {
        return routers[i - 1];
    }

    GenericContainer<?> kafka() {
        return kafka;
    }

    /** The host port mapped to a container port now (it changes when a container is started again). */
    int hostPort(GenericContainer<?> c, int port) {
        Ports.Binding[] b = docker.inspectContainerCmd(c.getContainerId()).exec().getNetworkSettings().getPorts()
                .getBindings().get(ExposedPort.tcp(port));
        if (b == null || b.length == 0) {
            throw new IllegalStateException(c.getContainerName() + ": port " + port + " is not mapped");
        }
        return Integer.parseInt(b[0].getHostPortSpec());
    }

    Metrics agentMetrics(int i) {
        return Metrics.scrape(hostPort(agents[i - 1], 7200));
    }

    Metrics routerMetrics(int i) {
        return Metrics.scrape(hostPort(routers[i - 1], 7101));
    }

    /** SIGKILL, as a crash or a power loss looks. */
    void kill(GenericContainer<?> c) {
        docker.killContainerCmd(c.getContainerId()).exec();
    }

    /** Starts a stopped or killed container again (same file system, hostname, address and alias). */
    void startAgain(GenericContainer<?> c) {
        docker.startContainerCmd(c.getContainerId()).exec();
    }

    void pause(GenericContainer<?> c) {
        docker.pauseContainerCmd(c.getContainerId()).exec();
    }

    void unpause(GenericContainer<?> c) {
        docker.unpauseContainerCmd(c.getContainerId()).exec();
    }

    /** Cuts the container off the cluster network (a partition). */
    void disconnect(GenericContainer<?> c) {
        docker.disconnectFromNetworkCmd().withNetworkId(network.getId()).withContainerId(c.getContainerId()).exec();
    }

    void reconnect(GenericContainer<?> c, String alias) {
        docker.connectToNetworkCmd().withNetworkId(network.getId()).withContainerId(c.getContainerId())
                .withContainerNetwork(new ContainerNetwork().withAliases(alias)).exec();
    }

    /**
     * Rolling replacement of one router: docker stop (SIGTERM: the router drains, sends GOAWAY and
     * waits for Kafka's acks), remove, then a new container of the router image under the same name.
     */
    void replaceRouter(int i) {
        GenericContainer<?> old = routers[i - 1];
        docker.stopContainerCmd(old.getContainerId()).withTimeout(45).exec();
        old.stop();
        all.remove(old);
        routers[i - 1] = newRouter(i - 1);
        routers[i - 1].start();
    }

    private void write(String name, String text) {
        try {
            Files.writeString(root.resolve("conf").resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String conf(String name) {
        return root.resolve("conf").resolve(name).toString();
    }

    private static int freePort() {
        return io.datastream.testkit.net.FreePorts.next();
    }

    @Override
    public void close() {
        List<GenericContainer<?>> stopOrder = new ArrayList<>(all);
        Collections.reverse(stopOrder);
        for (GenericContainer<?> c : stopOrder) {
            try {
                if (c.getContainerId() != null) {
                    try {
                        docker.unpauseContainerCmd(c.getContainerId()).exec();
                    } catch (RuntimeException notPaused) {
                        // only paused containers can be unpaused
                    }
                }
                c.stop();
            } catch (RuntimeException e) {
                System.err.println("stopping " + c.getDockerImageName() + ": " + e);
            }
        }
        network.close();
    }

    /** Appends a container's output to a file (target/docker-logs). */
    private static final class FileLog implements Consumer<OutputFrame> {
        private final Path file;

        FileLog(Path file) {
            this.file = file;
        }

        @Override
        public void accept(OutputFrame frame) {
            String text = frame.getUtf8String();
            if (text == null || text.isEmpty()) {
                return;
            }
            try {
                Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException ignored) {
                // a log line lost is not a test failure
            }
        }
    }
}
