package io.datastream.deploy.standalone;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Settings of {@code ds standalone}; every one has a default so the command needs none.
 *
 * @param dataDir            all state and output: zk/, kafka/, agent/, sink/, logs/ (read), out/ (written)
 * @param bindAddress        the address every listener binds: 127.0.0.1 (default, this host only) or another, deliberately
 * @param zookeeperPort      ZooKeeper client port
 * @param kafkaPort          Kafka client port
 * @param kafkaControllerPort Kafka KRaft controller port
 * @param routerPort         router port for agents (ds protocol)
 * @param routerHttpPort     router health and metrics
 * @param eventsPort         the router's HTTP event source (POST /v1/events)
 * @param controlPort        ds-control REST API
 * @param agentHttpPort      the agent's metrics (Prometheus)
 * @param sinkMetricsPort    the sink's metrics (Prometheus)
 * @param checkpointInterval Flink checkpoint interval: output appears this often
 * @param components         what runs in this process
 * @param demo               write a generated log stream into dataDir/logs/demo
 * @param demoLinesPerSecond rate of the demo stream
 * @param progressInterval   how often a progress line is printed (0 = never)
 * @param reportInterval     how often the agent, router and sink push their minute reports to control (0 = no reports)
 */
public record StandaloneConfig(Path dataDir, String bindAddress, int zookeeperPort, int kafkaPort, int kafkaControllerPort, int routerPort,
                               int routerHttpPort, int eventsPort, int controlPort, int agentHttpPort, int sinkMetricsPort,
                               Duration checkpointInterval, Set<Component> components,
                               boolean demo, int demoLinesPerSecond, Duration progressInterval, Duration reportInterval) {

    /** The parts of the pipeline, in start order. */
    public enum Component {
        ZOOKEEPER, KAFKA, CONTROL, ROUTER, AGENT, SINK;

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_ZOOKEEPER_PORT = 2181;
    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_KAFKA_CONTROLLER_PORT = 9093;
    public static final int DEFAULT_ROUTER_PORT = 7100;
    public static final int DEFAULT_ROUTER_HTTP_PORT = 7101;
    public static final int DEFAULT_EVENTS_PORT = 7102;
    public static final int DEFAULT_CONTROL_PORT = 7400;
    public static final int DEFAULT_AGENT_HTTP_PORT = 7200;
    public static final int DEFAULT_SINK_METRICS_PORT = 7300;

    public StandaloneConfig {
        List<String> errors = new ArrayList<>();
        if (dataDir == null) {
            errors.add("data-dir: is required");
        }
        if (bindAddress == null || bindAddress.isBlank() || bindAddress.contains("/") || bindAddress.contains(" ")) {
            errors.add("bind: must be an address such as 127.0.0.1 or 0.0.0.0, was '" + bindAddress + "'");
        }
        port(errors, "zookeeper-port", zookeeperPort);
        port(errors, "kafka-port", kafkaPort);
        port(errors, "kafka-controller-port", kafkaControllerPort);
        port(errors, "router-port", routerPort);
        port(errors, "router-http-port", routerHttpPort);
        port(errors, "events-port", eventsPort);
        port(errors, "control-port", controlPort);
        port(errors, "agent-http-port", agentHttpPort);
        port(errors, "sink-metrics-port", sinkMetricsPort);
        if (checkpointInterval == null || checkpointInterval.toMillis() < 100) {
            errors.add("checkpoint-interval: must be at least 100ms, was " + checkpointInterval);
        }
        if (components == null || components.isEmpty()) {
            errors.add("with: name at least one of zookeeper, kafka, control, router, agent, sink");
        } else {
            components = Set.copyOf(components);
        }
        if (demoLinesPerSecond < 1 || demoLinesPerSecond > 1_000_000) {
            errors.add("demo-rate: must be in [1, 1000000] lines per second, was " + demoLinesPerSecond);
        }
        if (progressInterval == null || progressInterval.isNegative()) {
            errors.add("progress-interval: must be >= 0");
        }
        if (reportInterval == null || reportInterval.isNegative() || (!reportInterval.isZero() && reportInterval.toMillis() < 100)
                || reportInterval.toMillis() > 3_600_000) {
            errors.add("report-interval: must be 0 (no reports) or in [100, 3600000] ms, was " + reportInterval);
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
    }

    private static void port(List<String> errors, String name, int port) {
        if (port < 1 || port > 65535) {
            errors.add(name + ": must be a TCP port in [1, 65535], was " + port);
        }
    }

    public static StandaloneConfig defaults(Path dataDir) {
        return builder(dataDir).build();
    }

    /** A builder with every default; {@link Builder#ports} moves every port at once (tests: free ports). */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** Typed construction for the command and tests: every setting starts at its default. */
    public static final class Builder {
        private final Path dataDir;
        private String bindAddress = DEFAULT_BIND_ADDRESS;
        private int zookeeperPort = DEFAULT_ZOOKEEPER_PORT;
        private int kafkaPort = DEFAULT_KAFKA_PORT;
        private int kafkaControllerPort = DEFAULT_KAFKA_CONTROLLER_PORT;
        private int routerPort = DEFAULT_ROUTER_PORT;
        private int routerHttpPort = DEFAULT_ROUTER_HTTP_PORT;
        private int eventsPort = DEFAULT_EVENTS_PORT;
        private int controlPort = DEFAULT_CONTROL_PORT;
        private int agentHttpPort = DEFAULT_AGENT_HTTP_PORT;
        private int sinkMetricsPort = DEFAULT_SINK_METRICS_PORT;
        private Duration checkpointInterval = Duration.ofSeconds(5);
        private Set<Component> components = EnumSet.allOf(Component.class);
        private boolean demo;
        private int demoLinesPerSecond = 2_000;
        private Duration progressInterval = Duration.ofSeconds(5);
        private Duration reportInterval = Duration.ofSeconds(10);

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        /** Every port from {@code next}, in a fixed order (ZooKeeper, Kafka, controller, router, router HTTP, control, agent, sink, events). */
        public Builder ports(java.util.function.IntSupplier next) {
            zookeeperPort = next.getAsInt();
            kafkaPort = next.getAsInt();
            kafkaControllerPort = next.getAsInt();
            routerPort = next.getAsInt();
            routerHttpPort = next.getAsInt();
            controlPort = next.getAsInt();
            agentHttpPort = next.getAsInt();
            sinkMetricsPort = next.getAsInt();
            eventsPort = next.getAsInt();
            return this;
        }

        public Builder eventsPort(int p) {
            eventsPort = p;
            return this;
        }

        /** The address every listener binds (default 127.0.0.1). */
        public Builder bindAddress(String address) {
            bindAddress = address;
            return this;
        }

        public Builder zookeeperPort(int p) {
            zookeeperPort = p;
            return this;
        }

        public Builder kafkaPort(int p) {
            kafkaPort = p;
            return this;
        }

        public Builder kafkaControllerPort(int p) {
            kafkaControllerPort = p;
            return this;
        }

        public Builder routerPort(int p) {
            routerPort = p;
            return this;
        }

        public Builder routerHttpPort(int p) {
            routerHttpPort = p;
            return this;
        }

        public Builder controlPort(int p) {
            controlPort = p;
            return this;
        }

        public Builder agentHttpPort(int p) {
            agentHttpPort = p;
            return this;
        }

        public Builder sinkMetricsPort(int p) {
            sinkMetricsPort = p;
            return this;
        }

        public Builder checkpointInterval(Duration d) {
            checkpointInterval = d;
            return this;
        }

        public Builder components(Set<Component> c) {
            components = c;
            return this;
        }

        public Builder demo(boolean on, int linesPerSecond) {
            demo = on;
            demoLinesPerSecond = linesPerSecond;
            return this;
        }

        public Builder progressInterval(Duration d) {
            progressInterval = d;
            return this;
        }

        /** How often minute reports are pushed to control (0 = none). */
        public Builder reportInterval(Duration d) {
            reportInterval = d;
            return this;
        }

        /** Validates every setting; all errors in one message. */
        public StandaloneConfig build() {
            return new StandaloneConfig(dataDir, bindAddress, zookeeperPort, kafkaPort, kafkaControllerPort, routerPort, routerHttpPort,
                    eventsPort, controlPort, agentHttpPort, sinkMetricsPort, checkpointInterval, components, demo, demoLinesPerSecond,
                    progressInterval, reportInterval);
        }
    }

    public boolean runs(Component c) {
        return components.contains(c);
    }

    /** Parses "zookeeper,kafka,router" (case-insensitive; "all" = every component). */
    public static Set<Component> parseComponents(String list) {
        Set<Component> out = EnumSet.noneOf(Component.class);
        for (String part : list.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.isEmpty()) {
                continue;
            }
            if (p.equals("all")) {
                return EnumSet.allOf(Component.class);
            }
            try {
                out.add(Component.valueOf(p.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("with: unknown component '" + part.trim()
                        + "'; expected zookeeper, kafka, control, router, agent, sink or all");
            }
        }
        return out;
    }

    /** Whether the listeners serve other hosts too (a wildcard or non-loopback bind address). */
    public boolean bindsBeyondLoopback() {
        return !(bindAddress.equals("127.0.0.1") || bindAddress.equals("localhost") || bindAddress.equals("::1"));
    }

    /** The host name clients should use: localhost for loopback and wildcard binds, else the bind address. */
    public String clientHost() {
        return bindAddress.equals("0.0.0.0") || bindAddress.equals("::") || !bindsBeyondLoopback() ? "localhost" : bindAddress;
    }

    public Path logsDir() {
        return dataDir.resolve("logs");
    }

    public Path outDir() {
        return dataDir.resolve("out");
    }
}
