package io.datastream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.datastream.agent.AgentConfig;
import io.datastream.control.ControlConfig;
import io.datastream.router.RouterConfig;
import io.datastream.sink.config.SinkConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test helpers for the deployment files (compose, Kubernetes): YAML documents, and each
 * component's config text loaded with the component's own loader (which rejects unknown keys
 * and bad values, naming the key).
 */
final class ComponentConfigs {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The components and the ports their probes and health checks use. */
    enum Component {
        AGENT, ROUTER, CONTROL, SINK;

        /** The component of a config file name (agent.yaml) or an image (datastream/agent:local); null for others. */
        static Component of(String name) {
            for (Component c : values()) {
                String n = c.name().toLowerCase();
                if (name.equals(n + ".yaml") || name.startsWith("datastream/" + n + ":") || name.endsWith("/" + n + ".yaml")) {
                    return c;
                }
            }
            return null;
        }
    }

    private ComponentConfigs() {
    }

    /** Every YAML document of a file (--- separated). */
    static List<JsonNode> documents(Path file) throws IOException {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            return it.readAll().stream().filter(n -> n != null && !n.isNull() && !n.isMissingNode()).toList();
        }
    }

    /**
     * Loads a config with the component's loader (throws with the key's name when it is invalid)
     * and returns its HTTP port: the port of /health and /metrics (-1 for the sink, which has none).
     */
    static int load(Component c, String yaml) {
        yaml = withTls(yaml);
        switch (c) {
            case AGENT:
                return AgentConfig.fromYaml(yaml).httpPort();
            case ROUTER:
                return RouterConfig.fromYaml(yaml).http().port();
            case CONTROL:
                return ControlConfig.fromYaml(yaml).http().port();
            case SINK:
                SinkConfig.parse(yaml);
                return -1;
            default:
                throw new IllegalArgumentException(c.toString());
        }
    }

    static AgentConfig agent(String yaml) {
        return AgentConfig.fromYaml(withTls(yaml));
    }

    static RouterConfig router(String yaml) {
        return RouterConfig.fromYaml(withTls(yaml));
    }

    /** Where the deployments mount the files of deploy/tls/gen-certs.sh. */
    static final String TLS_MOUNT = "/etc/datastream/tls/";
    private static Path tlsDir;

    /**
     * The files of deploy/tls/gen-certs.sh, made once per test JVM under target/ by running the
     * script (bash and OpenSSL), as a user of the deployments does before starting them.
     */
    static synchronized Path tlsDir() {
        if (tlsDir == null) {
            Path dir = Path.of("target", "test-tls").toAbsolutePath();
            try {
                if (java.nio.file.Files.exists(dir)) {
                    try (var walk = java.nio.file.Files.walk(dir)) {
                        walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                    }
                }
                Process p = new ProcessBuilder("bash", "tls/gen-certs.sh", dir.toString(), "--key-mode", "644")
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("deploy/tls/gen-certs.sh failed: " + out);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            tlsDir = dir;
        }
        return tlsDir;
    }

    /** The config with the mounted TLS files ({@value #TLS_MOUNT}) read from {@link #tlsDir()} instead. */
    static String withTls(String yaml) {
        return yaml.contains(TLS_MOUNT) ? yaml.replace(TLS_MOUNT, tlsDir() + "/") : yaml;
    }

    private static final Pattern XMX = Pattern.compile("-Xmx(\\d+)([kKmMgG])");

    /** -Xmx of JAVA_OPTS in MiB, or -1 when there is none. */
    static long heapMiB(String javaOpts) {
        Matcher m = XMX.matcher(javaOpts == null ? "" : javaOpts);
        if (!m.find()) {
            return -1;
        }
        long n = Long.parseLong(m.group(1));
        switch (Character.toLowerCase(m.group(2).charAt(0))) {
            case 'k':
                return n / 1024;
            case 'g':
                return n * 1024;
            default:
                return n;
        }
    }

    /** A Kubernetes memory quantity (256Mi, 1Gi, 512M) in MiB. */
    static long quantityMiB(String q) {
        Matcher m = Pattern.compile("(\\d+)(Mi|Gi|M|G|Ki)?").matcher(q);
        if (!m.matches()) {
            throw new IllegalArgumentException("memory quantity " + q);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        switch (unit) {
            case "Gi":
                return n * 1024;
            case "G":
                return n * 1000 * 1000 * 1000 / (1024 * 1024);
            case "M":
                return n * 1000 * 1000 / (1024 * 1024);
            case "Ki":
                return n / 1024;
            case "Mi":
                return n;
            default:
                return n / (1024 * 1024);
        }
    }
}
