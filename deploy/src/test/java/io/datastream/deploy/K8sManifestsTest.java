package io.datastream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.datastream.deploy.ComponentConfigs.Component;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Offline validation of deploy/k8s: every manifest parses and has a known kind and apiVersion;
 * every container has resource requests and limits and a heap below its memory limit; the
 * configs in the ConfigMaps load with the components' own loaders; probes, container ports and
 * Services use the ports those configs set; the agent DaemonSet mounts the host's logs where its
 * tasks look and keeps its checkpoints on a hostPath.
 */
class K8sManifestsTest {
    private static final List<Path> K8S = List.of(Path.of("k8s"), Path.of("k8s-flink-operator"));
    private static final Map<String, String> API_VERSIONS = Map.of(
            "Namespace", "v1", "ConfigMap", "v1", "Service", "v1", "PersistentVolumeClaim", "v1",
            "Deployment", "apps/v1", "DaemonSet", "apps/v1",
            "Kustomization", "kustomize.config.k8s.io/v1beta1",
            "FlinkDeployment", "flink.apache.org/v1beta1");
    /** Paths a probe may use: the endpoints each component really serves. */
    private static final Map<Component, Set<String>> PROBE_PATHS = Map.of(
            Component.AGENT, Set.of("/metrics"),
            Component.ROUTER, Set.of("/health", "/metrics"),
            Component.CONTROL, Set.of("/health", "/metrics"));

    private static final Map<Path, List<JsonNode>> FILES = new HashMap<>();
    private static final List<JsonNode> ALL = new ArrayList<>();

    @BeforeAll
    static void readManifests() throws IOException {
        for (Path dir : K8S) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path f : walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                    List<JsonNode> docs = ComponentConfigs.documents(f);
                    FILES.put(f, docs);
                    ALL.addAll(docs);
                }
            }
            assertThat(FILES.keySet()).as("manifests under " + dir.toAbsolutePath()).anyMatch(f -> f.startsWith(dir));
        }
    }

    @Test
    void everyManifestHasAKnownKindApiVersionAndName() {
        FILES.forEach((file, docs) -> {
            assertThat(docs).as(file + " documents").isNotEmpty();
            for (JsonNode d : docs) {
                String kind = d.path("kind").asText();
                assertThat(API_VERSIONS).as(file + ": kind").containsKey(kind);
                assertThat(d.path("apiVersion").asText()).as(file + ": apiVersion of " + kind).isEqualTo(API_VERSIONS.get(kind));
                if (!kind.equals("Kustomization")) {
                    assertThat(d.path("metadata").path("name").asText()).as(file + ": metadata.name of a " + kind).isNotBlank();
                }
                if (!kind.equals("Kustomization") && !kind.equals("Namespace")) {
                    assertThat(d.path("metadata").path("namespace").asText()).as(file + ": namespace of " + name(d)).isEqualTo("datastream");
                }
            }
        });
    }

    @Test
    void kustomizationsListEveryManifestAndOnlyExistingFiles() {
        Set<Path> listed = new HashSet<>();
        FILES.forEach((file, docs) -> {
            for (JsonNode d : docs) {
                if (d.path("kind").asText().equals("Kustomization")) {
                    for (JsonNode r : d.path("resources")) {
                        Path p = file.getParent().resolve(r.asText()).normalize();
                        assertThat(p).as(file + " lists " + r.asText()).exists();
                        listed.add(p);
                    }
                }
            }
        });
        for (Path f : FILES.keySet()) {
            if (!f.getFileName().toString().equals("kustomization.yaml")) {
                assertThat(listed).as("a kustomization lists " + f).contains(f.normalize());
            }
        }
    }

    @Test
    void everyContainerHasRequestsLimitsAndAHeapBelowItsMemoryLimit() {
        for (JsonNode w : workloads()) {
            for (JsonNode c : w.at("/spec/template/spec/containers")) {
                String where = name(w) + "/" + c.path("name").asText();
                for (String kind : List.of("requests", "limits")) {
                    for (String res : List.of("cpu", "memory")) {
                        assertThat(c.at("/resources/" + kind + "/" + res).asText()).as(where + " resources." + kind + "." + res).isNotBlank();
                    }
                }
                long limit = ComponentConfigs.quantityMiB(c.at("/resources/limits/memory").asText());
                long request = ComponentConfigs.quantityMiB(c.at("/resources/requests/memory").asText());
                assertThat(request).as(where + " memory request <= limit").isLessThanOrEqualTo(limit);
                if (Component.of(c.path("image").asText()) != null) {
                    long heap = ComponentConfigs.heapMiB(env(c, "JAVA_OPTS"));
                    assertThat(heap).as(where + ": JAVA_OPTS sets -Xmx").isPositive();
                    // heap + metaspace, code cache, thread stacks, direct buffers
                    assertThat(heap + 100).as(where + ": -Xmx + 100 MiB fits the memory limit").isLessThanOrEqualTo(limit);
                }
            }
        }
    }

    @Test
    void configMapsLoadWithTheComponentsOwnLoaders() {
        Set<Component> loaded = new HashSet<>();
        for (JsonNode cm : ofKind("ConfigMap")) {
            var fields = cm.path("data").fields();
            while (fields.hasNext()) {
                var e = fields.next();
                Component c = Component.of(e.getKey());
                if (c != null) {
                    ComponentConfigs.load(c, e.getValue().asText());
                    loaded.add(c);
                }
            }
        }
        assertThat(loaded).as("component configs in ConfigMaps").containsExactlyInAnyOrder(Component.values());
    }

    /**
     * deploy/k8s-flink-operator: the sink as a FlinkDeployment. The Flink version is the one the
     * project builds with; the job is the jar the flink-sink image puts in usrlib, SinkJob with
     * --config on a file mounted from a ConfigMap whose config loads and keeps everything on shared
     * storage (no file://: a replaced pod must find its checkpoints); savepoints have a directory
     * (upgradeMode savepoint) and the job fits the TaskManagers' slots.
     */
    @Test
    void flinkDeploymentRunsTheSinkJobJarWithADurableConfig() throws IOException {
        List<JsonNode> deployments = ofKind("FlinkDeployment");
        assertThat(deployments).hasSize(1);
        JsonNode fd = deployments.get(0);
        JsonNode spec = fd.path("spec");
        String[] flink = org.apache.flink.runtime.util.EnvironmentInformation.getVersion().split("\\.");
        assertThat(spec.path("flinkVersion").asText()).as("flinkVersion: the Flink the job is built for")
                .isEqualTo("v" + flink[0] + "_" + flink[1]);
        JsonNode job = spec.path("job");
        String jar = Path.of(io.datastream.deploy.flink.SinkSubmission.JOB_JAR).getFileName().toString();
        assertThat(job.path("jarURI").asText()).isEqualTo("local:///opt/flink/usrlib/" + jar);
        assertThat(Files.readString(Path.of("docker/flink-sink/Dockerfile"))).as("the flink-sink image puts the jar there")
                .contains("COPY flink/" + jar + " /opt/flink/usrlib/" + jar)
                .contains("FROM ${FLINK_IMAGE}").contains("ARG FLINK_IMAGE=flink:" + flink[0] + "." + flink[1] + ".");
        assertThat(job.path("entryClass").asText()).isEqualTo(io.datastream.sink.SinkJob.class.getName());
        assertThat(job.path("args").get(0).asText()).isEqualTo("--config");
        String configPath = job.path("args").get(1).asText();
        assertThat(job.path("upgradeMode").asText()).isIn("savepoint", "last-state");
        JsonNode conf = spec.path("flinkConfiguration");
        assertThat(conf.path("execution.checkpointing.savepoint-dir").asText()).as("savepoint directory").startsWith("hdfs://");
        if (job.path("upgradeMode").asText().equals("last-state")) {
            assertThat(conf.path("high-availability.type").asText()).as("last-state needs HA").isNotBlank();
        }
        int slots = conf.path("taskmanager.numberOfTaskSlots").asInt(1) * spec.at("/taskManager/replicas").asInt(1);
        assertThat(job.path("parallelism").asInt()).as("parallelism <= slots").isBetween(1, slots);
        for (String pod : List.of("jobManager", "taskManager")) {
            assertThat(spec.at("/" + pod + "/resource/memory").asText()).as(pod + " memory").isNotBlank();
            assertThat(spec.at("/" + pod + "/resource/cpu").asDouble()).as(pod + " cpu").isPositive();
        }

        // the config file: mounted into the main container (JobManager and TaskManagers) from a ConfigMap
        JsonNode podSpec = spec.at("/podTemplate/spec");
        String text = null;
        for (JsonNode c : podSpec.path("containers")) {
            assertThat(c.path("name").asText()).as("the operator's main container").isEqualTo("flink-main-container");
            for (JsonNode m : c.path("volumeMounts")) {
                if (m.path("mountPath").asText().equals(configPath)) {
                    for (JsonNode v : podSpec.path("volumes")) {
                        if (v.path("name").asText().equals(m.path("name").asText())) {
                            text = configMapKey(v.at("/configMap/name").asText(), m.path("subPath").asText());
                        }
                    }
                }
            }
        }
        assertThat(text).as(configPath + " mounted from a ConfigMap").isNotNull();
        io.datastream.sink.config.SinkConfig cfg = io.datastream.sink.config.SinkConfig.parse(text);
        for (String path : List.of(cfg.output().path(), cfg.deadLetter().path(), String.valueOf(cfg.job().checkpointDir()))) {
            assertThat(path).as("shared, durable storage").startsWith("hdfs://");
        }
    }

    private static String configMapKey(String name, String key) {
        for (JsonNode cm : ofKind("ConfigMap")) {
            if (cm.at("/metadata/name").asText().equals(name)) {
                JsonNode text = cm.path("data").path(key);
                return text.isMissingNode() ? null : text.asText();
            }
        }
        return null;
    }

    @Test
    void probesAndPortsMatchTheComponentConfigs() {
        Set<Component> seen = new HashSet<>();
        for (JsonNode w : workloads()) {
            for (JsonNode c : w.at("/spec/template/spec/containers")) {
                Component comp = Component.of(c.path("image").asText());
                if (comp == null) {
                    continue;
                }
                seen.add(comp);
                String where = name(w) + "/" + c.path("name").asText();
                String config = mountedConfig(w, c, "/etc/datastream/" + comp.name().toLowerCase() + ".yaml");
                assertThat(config).as(where + ": config mounted from a ConfigMap").isNotNull();
                assertThat(c.path("args").toString()).as(where + " args").contains(comp.name().toLowerCase())
                        .contains("/etc/datastream/" + comp.name().toLowerCase() + ".yaml");
                int httpPort = ComponentConfigs.load(comp, config);
                if (comp == Component.SINK) {
                    assertThat(c.has("readinessProbe") || c.has("livenessProbe")).as(where + ": the sink serves no HTTP, so no probes").isFalse();
                    continue;
                }
                for (String probe : List.of("readinessProbe", "livenessProbe")) {
                    JsonNode get = c.path(probe).path("httpGet");
                    assertThat(get.path("port").asInt()).as(where + " " + probe + " port = http.port of its config").isEqualTo(httpPort);
                    assertThat(PROBE_PATHS.get(comp)).as(where + " " + probe + " path").contains(get.path("path").asText());
                }
                assertThat(c.at("/readinessProbe/httpGet/path").asText()).as(where + " readiness")
                        .isEqualTo(comp == Component.AGENT ? "/metrics" : "/health");
                assertThat(containerPorts(c)).as(where + " container ports").contains(httpPort);
                if (comp == Component.ROUTER) {
                    int dsPort = ComponentConfigs.router(config).listen().port();
                    assertThat(containerPorts(c)).as(where + " container ports").contains(dsPort);
                    long pool = ComponentConfigs.router(config).pool().capacityBytes() >> 20;
                    assertThat(ComponentConfigs.heapMiB(env(c, "JAVA_OPTS"))).as(where + ": -Xmx >= pool + 256 MiB (docs/router.md)")
                            .isGreaterThanOrEqualTo(pool + 256);
                    assertThat(w.at("/spec/template/spec/terminationGracePeriodSeconds").asLong() * 1000)
                            .as(where + ": grace period above drain.timeoutMs")
                            .isGreaterThan(ComponentConfigs.router(config).drain().timeoutMs());
                }
            }
        }
        assertThat(seen).containsExactlyInAnyOrder(Component.values());
    }

    @Test
    void servicesSelectPodsAndTargetTheirPorts() {
        for (JsonNode svc : ofKind("Service")) {
            JsonNode selector = svc.at("/spec/selector");
            List<JsonNode> pods = workloads().stream().filter(w -> matches(selector, w.at("/spec/template/metadata/labels"))).toList();
            assertThat(pods).as(name(svc) + " selects a workload").isNotEmpty();
            Set<Integer> ports = new HashSet<>();
            for (JsonNode w : pods) {
                for (JsonNode c : w.at("/spec/template/spec/containers")) {
                    ports.addAll(containerPorts(c));
                }
                assertThat(matches(w.at("/spec/selector/matchLabels"), w.at("/spec/template/metadata/labels")))
                        .as(name(w) + " selector matches its pod labels").isTrue();
            }
            for (JsonNode p : svc.at("/spec/ports")) {
                assertThat(ports).as(name(svc) + " targetPort").contains(p.path("targetPort").asInt());
            }
        }
    }

    @Test
    void agentsReadTheHostsLogsAndKeepCheckpointsOnTheHost() {
        List<JsonNode> daemonSets = ofKind("DaemonSet");
        assertThat(daemonSets).hasSize(1);
        JsonNode ds = daemonSets.get(0);
        JsonNode c = ds.at("/spec/template/spec/containers/0");
        var cfg = ComponentConfigs.agent(mountedConfig(ds, c, "/etc/datastream/agent.yaml"));
        Map<String, String> hostPathByMount = new HashMap<>();
        for (JsonNode m : c.path("volumeMounts")) {
            for (JsonNode v : ds.at("/spec/template/spec/volumes")) {
                if (v.path("name").asText().equals(m.path("name").asText()) && v.has("hostPath")) {
                    hostPathByMount.put(m.path("mountPath").asText(), v.at("/hostPath/path").asText());
                }
            }
        }
        assertThat(hostPathByMount).as("hostPath checkpoint dir at dataDir").containsKey(cfg.dataDir().toString());
        assertThat(cfg.tasks()).isNotEmpty();
        for (var task : cfg.tasks()) {
            for (String glob : task.paths()) {
                assertThat(hostPathByMount.keySet().stream().anyMatch(m -> glob.startsWith(m + "/")))
                        .as("task " + task.id() + " path " + glob + " is under a hostPath mount " + hostPathByMount.keySet()).isTrue();
            }
        }
        assertThat(ds.at("/spec/template/spec/hostNetwork").asBoolean()).as("hostNetwork: the agent id is the node's name").isTrue();
    }

    // ---------------------------------------------------------------------------------------------

    private static List<JsonNode> ofKind(String kind) {
        return ALL.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    private static List<JsonNode> workloads() {
        List<JsonNode> w = new ArrayList<>(ofKind("Deployment"));
        w.addAll(ofKind("DaemonSet"));
        return w;
    }

    private static String name(JsonNode d) {
        return d.path("kind").asText() + " " + d.at("/metadata/name").asText();
    }

    private static String env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e.path("value").asText();
            }
        }
        return null;
    }

    private static Set<Integer> containerPorts(JsonNode container) {
        Set<Integer> ports = new HashSet<>();
        for (JsonNode p : container.path("ports")) {
            ports.add(p.path("containerPort").asInt());
        }
        return ports;
    }

    private static boolean matches(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        var it = selector.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (!labels.path(e.getKey()).asText().equals(e.getValue().asText())) {
                return false;
            }
        }
        return true;
    }

    /** The text of the ConfigMap key mounted at {@code mountPath} (subPath), or null. */
    private static String mountedConfig(JsonNode workload, JsonNode container, String mountPath) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (!m.path("mountPath").asText().equals(mountPath)) {
                continue;
            }
            for (JsonNode v : workload.at("/spec/template/spec/volumes")) {
                if (v.path("name").asText().equals(m.path("name").asText()) && v.has("configMap")) {
                    String cmName = v.at("/configMap/name").asText();
                    for (JsonNode cm : ofKind("ConfigMap")) {
                        if (cm.at("/metadata/name").asText().equals(cmName)) {
                            JsonNode text = cm.path("data").path(m.path("subPath").asText());
                            return text.isMissingNode() ? null : text.asText();
                        }
                    }
                }
            }
        }
        return null;
    }
}
