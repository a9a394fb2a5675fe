package io.datastream.embedded.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import io.datastream.embedded.Ports;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A Kafka node in KRaft mode (broker and controller in one), listening on loopback unless
 * {@link Builder#host} says otherwise: a single-node cluster by default, or one voter of a
 * cluster of such nodes ({@link Builder#node}: same cluster id, the same quorum voters). The log directory is formatted on first start; {@link #stop()} and {@link #start()}
 * keep it, so a restarted broker has the same data and the same port.
 *
 * <pre>
 * try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
 *     kafka.createTopic("logs", 3);
 *     ... kafka.bootstrapServers() ...
 * }
 * </pre>
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final Path logDir;
    private final boolean deleteOnClose;
    private final int port;
    private final int controllerPort;
    private final Properties props;
    private final String advertisedHost;
    private final String clusterId;
    private KafkaRaftServer server;

    private EmbeddedKafka(Builder b) {
        this.port = b.port == 0 ? Ports.free() : b.port;
        this.controllerPort = b.controllerPort == 0 ? Ports.free() : b.controllerPort;
        this.advertisedHost = b.advertisedHost;
        this.clusterId = b.clusterId != null ? b.clusterId : Uuid.randomUuid().toString();
        try {
            this.deleteOnClose = b.logDir == null;
            this.logDir = b.logDir != null ? Files.createDirectories(b.logDir) : Files.createTempDirectory("ds-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(b.nodeId));
        p.put("controller.quorum.voters", b.voters != null ? b.voters : b.nodeId + "@localhost:" + controllerPort);
        // the controller listener stays on loopback: only this process talks to it
        p.put("listeners", "PLAINTEXT://" + b.host + ":" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + b.advertisedHost + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", String.valueOf(b.defaultPartitions));
        String rf = String.valueOf(b.internalReplication);
        String minIsr = String.valueOf(Math.max(1, b.internalReplication - 1));
        p.put("offsets.topic.replication.factor", rf);
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", rf);
        p.put("transaction.state.log.min.isr", minIsr);
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", rf);
        p.put("share.coordinator.state.topic.min.isr", minIsr);
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", String.valueOf(b.autoCreateTopics));
        p.put("log.flush.interval.messages", "9223372036854775807");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("log.cleaner.enable", "false");
        p.put("message.max.bytes", String.valueOf(b.maxMessageBytes));
        p.putAll(b.overrides);
        this.props = p;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the log directory if needed and starts the broker; returns once it serves requests
     * (for a node of a cluster: once a quorum of its voters runs).
     */
    public synchronized EmbeddedKafka start() {
        if (server != null) {
            return this;
        }
        try {
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format();
            }
            KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            s.startup();
            server = s;
            awaitReady();
            return this;
        } catch (RuntimeException e) {
            throw new IllegalStateException("Kafka did not start on port " + port + ": " + e.getMessage(), e);
        }
    }

    private void format() {
        Path config = logDir.resolveSibling(logDir.getFileName() + ".format.properties");
        try {
            try (OutputStream out = Files.newOutputStream(config)) {
                props.store(out, "ds-embedded format");
            }
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            try (PrintStream ps = new PrintStream(log, true, StandardCharsets.UTF_8)) {
                kafka.tools.StorageTool.execute(new String[]{"format", "-t", clusterId, "-c", config.toString()}, ps);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(config);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }

    private void awaitReady() {
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka does not answer: " + e.getCause(), e);
        }
    }

    /** Stops the broker, keeping its data and ports, so {@link #start()} resumes it. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    public String bootstrapServers() {
        return advertisedHost + ":" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path logDir() {
        return logDir;
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    /** Creates a topic (replication factor 1); an existing topic is left as it is. */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, 1, Map.of());
    }

    /** Creates a topic with {@code replicas} copies of each partition and topic configs; an existing topic is left as it is. */
    public void createTopic(String name, int partitions, int replicas, Map<String, String> configs) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) replicas).configs(configs))).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("topic " + name + " not created: " + e.getCause(), e);
            }
        }
    }

    @Override
    public void close() {
        stop();
        if (deleteOnClose) {
            deleteRecursively(logDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Settings of an {@link EmbeddedKafka}; every one has a default. */
    public static final class Builder {
        private String host = "localhost";
        private String advertisedHost = "localhost";
        private int port;
        private int controllerPort;
        private Path logDir;
        private int defaultPartitions = 1;
        private boolean autoCreateTopics = true;
        private int maxMessageBytes = 16 << 20;
        private int nodeId = 1;
        private String voters;
        private String clusterId;
        private int internalReplication = 1;
        private final Properties overrides = new Properties();

        /** The address the client listener binds (default localhost: loopback only; 0.0.0.0 = every address). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The host name clients are told to connect to (default localhost). */
        public Builder advertisedHost(String host) {
            this.advertisedHost = host;
            return this;
        }

        /** Client port; 0 (default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder controllerPort(int port) {
            this.controllerPort = port;
            return this;
        }

        /** Where the log lives; kept after close. Default: a temporary directory, deleted on close. */
        public Builder logDir(Path dir) {
            this.logDir = dir;
            return this;
        }

        public Builder defaultPartitions(int n) {
            this.defaultPartitions = n;
            return this;
        }

        public Builder autoCreateTopics(boolean enabled) {
            this.autoCreateTopics = enabled;
            return this;
        }

        public Builder maxMessageBytes(int bytes) {
            this.maxMessageBytes = bytes;
            return this;
        }

        /**
         * One node of a cluster: its id, the quorum voters of every node
         * ({@code 1@localhost:PORT,2@localhost:PORT,...}, its own controller port among them), the
         * cluster id all nodes share, and the replication factor of the internal topics (min ISR one
         * less).
         */
        public Builder node(int nodeId, String voters, String clusterId, int internalReplication) {
            this.nodeId = nodeId;
            this.voters = voters;
            this.clusterId = clusterId;
            this.internalReplication = internalReplication;
            return this;
        }

        /** Any broker property. */
        public Builder property(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public EmbeddedKafka build() {
            return new EmbeddedKafka(this);
        }
    }
}
