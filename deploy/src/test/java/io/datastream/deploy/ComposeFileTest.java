package io.datastream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.datastream.agent.AgentConfig;
import io.datastream.deploy.ComponentConfigs.Component;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Offline validation of deploy/compose/docker-compose.yml: the cluster it describes is the one
 * README.md promises, every image is a locally built datastream image, every mounted config loads
 * with its component's loader, published ports are the ports those configs use, and the agents
 * reach the routers through HAProxy with distinct ids and log volumes.
 */
class ComposeFileTest {
    private static final Path COMPOSE = Path.of("compose");
    private static final Path DOCKER = Path.of("docker");
    private static JsonNode services;

    @BeforeAll
    static void read() throws IOException {
        List<JsonNode> docs = ComponentConfigs.documents(COMPOSE.resolve("docker-compose.yml"));
        assertThat(docs).hasSize(1);
        services = docs.get(0).path("services");
    }

    @Test
    void describesTheMultiNodeCluster() {
        Set<String> names = new HashSet<>();
        services.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("zookeeper", "kafka", "control", "router1", "router2", "haproxy",
                "loggen-1", "loggen-2", "agent-1", "agent-2", "sink");
        services.fields().forEachRemaining(e -> {
            String image = e.getValue().path("image").asText();
            assertThat(image).as(e.getKey() + " image").matches("datastream/[a-z]+:local");
            String dockerfileDir = image.substring("datastream/".length(), image.indexOf(':'));
            assertThat(DOCKER.resolve(dockerfileDir).resolve("Dockerfile")).as("Dockerfile of " + image).exists();
        });
    }

    @Test
    void everyMountedConfigLoadsAndPublishedPortsMatchIt() throws IOException {
        int loaded = 0;
        var it = services.fields();
        while (it.hasNext()) {
            var e = it.next();
            for (JsonNode v : e.getValue().path("volumes")) {
                String[] parts = v.asText().split(":");
                Component c = Component.of(parts[0]);
                if (c == null || !parts[0].startsWith("./conf/")) {
                    continue;
                }
                assertThat(parts[1]).as(e.getKey() + " mounts its config where the image reads it")
                        .isEqualTo("/etc/datastream/" + c.name().toLowerCase() + ".yaml");
                assertThat(e.getValue().path("image").asText()).startsWith("datastream/" + c.name().toLowerCase() + ":");
                String yaml = Files.readString(COMPOSE.resolve(parts[0]));
                int httpPort = ComponentConfigs.load(c, yaml);
                loaded++;
                if (httpPort > 0) {
                    assertThat(containerPorts(e.getValue())).as(e.getKey() + " publishes http.port " + httpPort).contains(httpPort);
                }
            }
        }
        assertThat(loaded).as("configs mounted from ./conf").isEqualTo(6); // control, 2 routers, 2 agents, sink
    }

    @Test
    void agentsGoThroughHaproxyWithTheirOwnIdsAndLogs() throws IOException {
        AgentConfig agent = ComponentConfigs.agent(Files.readString(COMPOSE.resolve("conf/agent.yaml")));
        assertThat(agent.routers()).containsExactly("haproxy:7000");
        assertThat(containerPorts(services.path("haproxy"))).contains(7000);
        assertThat(agent.zookeeper().enabled()).isTrue();

        Set<String> hostnames = new HashSet<>();
        Set<String> logVolumes = new HashSet<>();
        for (String a : List.of("agent-1", "agent-2")) {
            JsonNode s = services.path(a);
            hostnames.add(s.path("hostname").asText());
            for (JsonNode v : s.path("volumes")) {
                if (v.asText().contains(":/logs")) {
                    logVolumes.add(v.asText().split(":")[0]);
                }
            }
        }
        assertThat(hostnames).as("agent ids are agent-<hostname>: distinct hostnames").hasSize(2).doesNotContain("");
        assertThat(logVolumes).as("each agent tails its own log volume").hasSize(2);
        for (String v : logVolumes) {
            String writer = "loggen-" + v.substring(v.length() - 1);
            assertThat(services.path(writer).path("volumes").toString()).as(writer + " writes " + v).contains(v + ":/logs");
        }
    }

    @Test
    void haproxyBalancesTheComposeRoutersOnTheirConfiguredPorts() throws IOException {
        var router = ComponentConfigs.router(Files.readString(COMPOSE.resolve("conf/router.yaml")));
        String cfg = Files.readString(DOCKER.resolve("haproxy/haproxy.cfg"));
        Matcher m = Pattern.compile("(?m)^\\s*server (\\S+) (\\S+):(\\d+) check port (\\d+)").matcher(cfg);
        Map<String, String> servers = new TreeMap<>();
        while (m.find()) {
            servers.put(m.group(1), m.group(2));
            assertThat(Integer.parseInt(m.group(3))).as("ds port of " + m.group(1)).isEqualTo(router.listen().port());
            assertThat(Integer.parseInt(m.group(4))).as("check port of " + m.group(1)).isEqualTo(router.http().port());
        }
        assertThat(servers).containsOnlyKeys("router1", "router2");
        for (String host : servers.values()) {
            assertThat(services.has(host)).as("compose service " + host).isTrue();
        }
        assertThat(cfg).contains("option httpchk GET /health").contains("bind :7000").contains("init-addr last,libc,none");
    }

    private static Set<Integer> containerPorts(JsonNode service) {
        Set<Integer> ports = new HashSet<>();
        for (JsonNode p : service.path("ports")) {
            String[] parts = p.asText().split(":");
            ports.add(Integer.parseInt(parts[parts.length - 1].replace("/tcp", "")));
        }
        return ports;
    }
}
