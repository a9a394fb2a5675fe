package io.datastream.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.datastream.embedded.zk.EmbeddedZooKeeper;
import io.datastream.registry.ZkClients;
import io.datastream.registry.ZkLayout;
import io.datastream.registry.acl.ZkAcls;
import io.datastream.registry.acl.ZkCredentials;
import io.datastream.registry.member.AgentInfo;
import io.datastream.registry.member.EphemeralRegistration;
import io.datastream.registry.task.TaskSpec;
import io.datastream.registry.task.TaskStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Control, on a ZooKeeper tree locked with ACLs and authenticated with the control credential,
 * checks task paths against the allow-lists that agents publish in their registrations: a glob
 * no selected agent allows (or under /proc, /sys, /dev) is a 400 and nothing is written; one
 * that only some selected agents allow is written with a warning naming the others; with no
 * selected agent publishing its allow-list the task is written with a warning.
 */
class TaskPathsIT {
    static final ZkLayout LAYOUT = ZkLayout.defaults();
    static EmbeddedZooKeeper zk;
    static CuratorFramework agents;
    static ControlServer server;
    static HttpJson api;
    static final List<EphemeralRegistration> registrations = new ArrayList<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        zk = EmbeddedZooKeeper.start();
        Path controlFile = dir.resolve("control.cred");
        Files.writeString(controlFile, "control:control-password-0123456789\n");
        ZkCredentials control = ZkCredentials.fromFile(controlFile.toString());
        ZkCredentials agent = ZkCredentials.parse("agent:agent-password-0123456789", "test");
        try (CuratorFramework admin = ZkClients.start(zk.connectString(), Duration.ofSeconds(15), control, LAYOUT)) {
            assertThat(admin.blockUntilConnected(30, TimeUnit.SECONDS)).isTrue();
            ZkAcls.apply(admin, LAYOUT, new ZkAcls.Roles(List.of(control.id()), List.of(agent.id()), List.of(), List.of()));
        }
        server = ControlServer.start(ControlConfig.fromYaml("http: {host: 127.0.0.1, port: 0}\nstore: {path: '" + dir.resolve("ops.db")
                + "'}\nzookeeper: {connect: '" + zk.connectString() + "', authFile: '" + controlFile + "'}\n"));
        api = new HttpJson(server.localUrl());
        agents = ZkClients.start(zk.connectString(), Duration.ofSeconds(15), agent, LAYOUT);
        registrations.add(register(new AgentInfo("agent-web-1", "web-1", "t", Map.of(), List.of(), Map.of(), null, 1, 1, null,
                List.of("/var/log"))));
        registrations.add(register(new AgentInfo("agent-db-1", "db-1", "t", Map.of(), List.of(), Map.of(), null, 1, 1, null,
                List.of("/var/log", "/srv/db/logs"))));
        // an older agent that does not publish its allow-list: never counted for or against a path
        registrations.add(register(new AgentInfo("agent-old-1", "old-1", "t", Map.of(), List.of(), Map.of(), null, 1, 1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/agents").json().path("total").asInt() == 3);
    }

    private static EphemeralRegistration register(AgentInfo a) throws InterruptedException {
        return Fixtures.register(agents, LAYOUT, a);
    }

    @AfterAll
    static void stop() throws Exception {
        for (EphemeralRegistration r : registrations) {
            r.close();
        }
        agents.close();
        server.close();
        zk.close();
    }

    private static String task(String id, String hosts, String... paths) {
        return "{\"id\":\"" + id + "\",\"topic\":\"t\",\"paths\":[\"" + String.join("\",\"", paths) + "\"]"
                + (hosts == null ? "" : ",\"hosts\":{\"hostnames\":[\"" + hosts + "\"]}") + "}";
    }

    @Test
    void aPathEverySelectedAgentAllowsIsWrittenWithoutWarnings() {
        HttpJson.Answer a = api.post("/api/v1/tasks", task("nginx", "web-*", "/var/log/nginx/*.log"));
        assertThat(a.status()).as(a.text()).isEqualTo(201);
        assertThat(a.json().has("warnings")).isFalse();
    }

    @Test
    void aPathNoSelectedAgentAllowsIsRefusedAndNotWritten() {
        HttpJson.Answer a = api.post("/api/v1/tasks", task("shadow", null, "/var/log/ok/*.log", "/etc/shadow"));
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.fields()).containsExactly("paths[1]");
        assertThat(a.json().path("fields").get(0).path("message").asText())
                .startsWith("'/etc/shadow' is outside the paths.allow of every agent the task selects: agent-db-1 [/var/log, /srv/db/logs],"
                        + " agent-web-1 [/var/log]");
        assertThat(api.get("/api/v1/tasks/shadow").status()).isEqualTo(404);

        HttpJson.Answer proc = api.post("/api/v1/tasks", task("environ", "nothing-*", "/proc/1/environ"));
        assertThat(proc.status()).isEqualTo(400);
        assertThat(proc.json().path("fields").get(0).path("message").asText())
                .isEqualTo("'/proc/1/environ' is under /proc, which an agent never reads");
    }

    @Test
    void aPathOnlySomeSelectedAgentsAllowIsWrittenWithAWarning() {
        HttpJson.Answer a = api.post("/api/v1/tasks", task("db", null, "/srv/db/logs/*.log"));
        assertThat(a.status()).as(a.text()).isEqualTo(201);
        JsonNode w = a.json().path("warnings");
        assertThat(w).hasSize(1);
        assertThat(w.get(0).asText()).isEqualTo("paths[0]: '/srv/db/logs/*.log' is outside the paths.allow of 1 of the 2 agents the"
                + " task selects, which will refuse it: agent-web-1 [/var/log]");

        // an update to a path nobody allows is refused; the stored task is unchanged
        HttpJson.Answer u = api.put("/api/v1/tasks/db", task("db", null, "/root/.ssh/*"), "\"0\"");
        assertThat(u.status()).isEqualTo(400);
        assertThat(api.get("/api/v1/tasks/db").json().path("task").path("paths").get(0).asText()).isEqualTo("/srv/db/logs/*.log");
    }

    @Test
    void withoutAnySelectedAgentPublishingItsAllowListTheTaskIsWrittenWithAWarning() {
        HttpJson.Answer a = api.post("/api/v1/tasks", task("old", "old-*", "/opt/app/*.log"));
        assertThat(a.status()).as(a.text()).isEqualTo(201);
        assertThat(a.json().path("warnings").get(0).asText()).startsWith("no live agent that the task selects publishes its paths.allow");
    }

    @Test
    void controlWritesThroughTheAclsWhileTheAgentCredentialCannot() throws Exception {
        assertThat(api.post("/api/v1/tasks", task("acl", "web-*", "/var/log/acl/*.log")).status()).isEqualTo(201);
        assertThat(api.get("/api/v1/tasks/acl/history").json().path("total").asInt()).isEqualTo(1);
        assertThatThrownBy(() -> new TaskStore(agents, LAYOUT).create(TaskSpec.of("evil", List.of("/var/log/*.log"), "t"), "agent"))
                .isInstanceOf(KeeperException.NoAuthException.class);
    }
}
