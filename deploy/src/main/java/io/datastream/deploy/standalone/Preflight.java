package io.datastream.deploy.standalone;

import io.datastream.deploy.launch.StartupException;
import io.datastream.deploy.standalone.StandaloneConfig.Component;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code ds standalone} checks before it starts anything, so that a second standalone, a
 * program on one of its ports or a data directory that cannot be used fails in one line that
 * names the flag to change, and nothing is left half-started.
 */
final class Preflight {
    /** The directories under the data directory. */
    static final List<String> DIRECTORIES = List.of("logs", "out", "zk", "kafka", "agent", "sink", "dead-letters", "control");

    private Preflight() {
    }

    static void check(StandaloneConfig cfg) {
        dataDir(cfg.dataDir().toAbsolutePath());
        ports(cfg);
    }

    private static void dataDir(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new StartupException("--data-dir " + dir + " is a file, not a directory: choose another --data-dir");
        }
        for (String sub : DIRECTORIES) {
            Path p = dir.resolve(sub);
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw new StartupException(p + " exists but is not a directory: move it away, or choose another --data-dir");
            }
        }
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-check", null);
            Files.delete(probe);
        } catch (IOException e) {
            throw new StartupException("cannot write to --data-dir " + dir + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "): choose a directory this user can write", e);
        }
    }

    /** Every port of a component that runs here must be free; all conflicts in one line. */
    private static void ports(StandaloneConfig cfg) {
        Map<String, Integer> wanted = new LinkedHashMap<>();
        if (cfg.runs(Component.ZOOKEEPER)) {
            wanted.put("--zookeeper-port", cfg.zookeeperPort());
        }
        if (cfg.runs(Component.KAFKA)) {
            wanted.put("--kafka-port", cfg.kafkaPort());
            wanted.put("--kafka-controller-port", cfg.kafkaControllerPort());
        }
        if (cfg.runs(Component.CONTROL)) {
            wanted.put("--control-port", cfg.controlPort());
        }
        if (cfg.runs(Component.ROUTER)) {
            wanted.put("--router-port", cfg.routerPort());
            wanted.put("--router-http-port", cfg.routerHttpPort());
            wanted.put("--events-port", cfg.eventsPort());
        }
        if (cfg.runs(Component.AGENT)) {
            wanted.put("--agent-http-port", cfg.agentHttpPort());
        }
        if (cfg.runs(Component.SINK)) {
            wanted.put("--sink-metrics-port", cfg.sinkMetricsPort());
        }
        List<String> taken = new ArrayList<>();
        Map<Integer, String> seen = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : wanted.entrySet()) {
            String other = seen.putIfAbsent(e.getValue(), e.getKey());
            if (other != null) {
                throw new StartupException(e.getKey() + " and " + other + " are both " + e.getValue() + ": give each its own port");
            }
            if (!free(e.getValue())) {
                taken.add(e.getValue() + " (" + e.getKey() + ")");
            }
        }
        if (!taken.isEmpty()) {
            throw new StartupException((taken.size() == 1 ? "port " : "ports ") + String.join(", ", taken)
                    + (taken.size() == 1 ? " is" : " are") + " already in use (another ds standalone?): stop that program,"
                    + " or choose other ports with the flags named");
        }
    }

    /** Whether nothing listens on {@code port} on any address. */
    static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            // as the servers do: a port with only TIME_WAIT connections left on it is free
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
