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
 * @param zookeeperPort      ZooKeeper client port
 * @param kafkaPort          Kafka client port
 * @param kafkaControllerPort Kafka KRaft controller port
 * @param routerPort         router port for agents (ds protocol)
 * @param routerHttpPort     router health and metrics
 * @param controlPort        ds-control REST API
 * @param checkpointInterval Flink checkpoint interval: output appears this often
 * @param components         what runs in this process
 * @param demo               write a generated log stream into dataDir/logs/demo
 * @param demoLinesPerSecond rate of the demo stream
 * @param progressInterval   how often a progress line is printed (0 = never)
 */
public record StandaloneConfig(Path dataDir, int zookeeperPort, int kafkaPort, int kafkaControllerPort, int routerPort,
                               int routerHttpPort, int controlPort, Duration checkpointInterval, Set<Component> components,
                               boolean demo, int demoLinesPerSecond, Duration progressInterval) {

    /** The parts of the pipeline, in start order. */
    public enum Component {
        ZOOKEEPER, KAFKA, CONTROL, ROUTER, AGENT, SINK;

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final int DEFAULT_ZOOKEEPER_PORT = 2181;
    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_KAFKA_CONTROLLER_PORT = 9093;
    public static final int DEFAULT_ROUTER_PORT = 7100;
    public static final int DEFAULT_ROUTER_HTTP_PORT = 7101;
    public static final int DEFAULT_CONTROL_PORT = 7400;

    public StandaloneConfig {
        List<String> errors = new ArrayList<>();
        if (dataDir == null) {
            errors.add("data-dir: is required");
        }
        port(errors, "zookeeper-port", zookeeperPort);
        port(errors, "kafka-port", kafkaPort);
        port(errors, "kafka-controller-port", kafkaControllerPort);
        port(errors, "router-port", routerPort);
        port(errors, "router-http-port", routerHttpPort);
        port(errors, "control-port", controlPort);
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
        return new StandaloneConfig(dataDir, DEFAULT_ZOOKEEPER_PORT, DEFAULT_KAFKA_PORT, DEFAULT_KAFKA_CONTROLLER_PORT,
                DEFAULT_ROUTER_PORT, DEFAULT_ROUTER_HTTP_PORT, DEFAULT_CONTROL_PORT, Duration.ofSeconds(5),
                EnumSet.allOf(Component.class), false, 2_000, Duration.ofSeconds(5));
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

    public Path logsDir() {
        return dataDir.resolve("logs");
    }

    public Path outDir() {
        return dataDir.resolve("out");
    }
}
