package io.datastream.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.datastream.registry.ZkClients;
import io.datastream.registry.ZkLayout;
import io.datastream.registry.member.EphemeralRegistration;
import io.datastream.registry.member.TaskStatus;
import io.datastream.registry.task.TaskDirectory;
import io.datastream.registry.task.VersionedTask;
import io.datastream.embedded.zk.EmbeddedZooKeeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Agents and routers registered the way they register themselves (ephemeral nodes through
 * EphemeralRegistration), listed and filtered through the API; a task's status gathered from
 * them; and an agent's task watch seeing REST writes.
 */
class MembersIT {
    static final ZkLayout LAYOUT = ZkLayout.defaults();
    static EmbeddedZooKeeper zk;
    static CuratorFramework members;
    static ControlServer server;
    static HttpJson api;
    static final List<EphemeralRegistration> registrations = new ArrayList<>();
    static EphemeralRegistration web1;

    @BeforeAll
    static void start() throws Exception {
        zk = EmbeddedZooKeeper.start();
        server = ControlServer.start(ControlConfig.fromYaml("http: {host: 127.0.0.1, port: 0}\nstore: {path: target/ops-db/members.db}\nzookeeper: {connect: '"
                + zk.connectString() + "'}\n"));
        api = new HttpJson(server.localUrl());
        members = ZkClients.start(zk.connectString());
        web1 = Fixtures.register(members, LAYOUT, Fixtures.agent("agent-web-1", "web-1", Map.of("env", "prod", "dc", "eu"),
                Map.of("nginx", Fixtures.running(2, 1_000, 300, 50))));
        registrations.add(web1);
        registrations.add(Fixtures.register(members, LAYOUT, Fixtures.agent("agent-web-2", "web-2", Map.of("env", "prod", "dc", "us"),
                Map.of("nginx", new TaskStatus("parked", 1, 5_000, 9_000, 10, 1000, 5, 0, 0, 2, "REJECTED NO_ROUTE")))));
        registrations.add(Fixtures.register(members, LAYOUT, Fixtures.agent("agent-web-3", "web-3", Map.of("env", "staging"), Map.of())));
        registrations.add(Fixtures.register(members, LAYOUT, Fixtures.agent("agent-db-1", "db-1", Map.of("env", "prod"),
                Map.of("mysql", Fixtures.running(1, 0, 0, 7)))));
        registrations.add(Fixtures.register(members, LAYOUT, Fixtures.agent("agent-web-4", "web-4", Map.of("env", "prod"), Map.of())));
        registrations.add(Fixtures.register(members, LAYOUT, Fixtures.router("router-1", "10.0.0.1", false, 250_000)));
        registrations.add(Fixtures.register(members, LAYOUT, Fixtures.router("router-2", "10.0.0.2", true, 0)));
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/agents").json().path("total").asInt() == 5
                && api.get("/api/v1/routers").json().path("total").asInt() == 2);
    }

    @AfterAll
    static void stop() throws Exception {
        for (EphemeralRegistration r : registrations) {
            r.close();
        }
        members.close();
        server.close();
        zk.close();
    }

    private static List<String> agentIds(String query) {
        HttpJson.Answer a = api.get("/api/v1/agents" + query);
        assertThat(a.status()).as(query).isEqualTo(200);
        return a.json().path("items").findValuesAsText("id");
    }

    @Test
    void agentsAreFilteredByHostLabelTaskAndState() {
        assertThat(agentIds("")).containsExactly("agent-db-1", "agent-web-1", "agent-web-2", "agent-web-3", "agent-web-4");
        assertThat(agentIds("?host=web-*")).containsExactly("agent-web-1", "agent-web-2", "agent-web-3", "agent-web-4");
        assertThat(agentIds("?host=web-*&label=env=prod")).containsExactly("agent-web-1", "agent-web-2", "agent-web-4");
        assertThat(agentIds("?label=env=prod&label=dc=eu")).containsExactly("agent-web-1");
        assertThat(agentIds("?label=dc")).containsExactly("agent-web-1", "agent-web-2");
        assertThat(agentIds("?task=nginx")).containsExactly("agent-web-1", "agent-web-2");
        assertThat(agentIds("?task=nginx&state=parked")).containsExactly("agent-web-2");
        assertThat(agentIds("?state=running")).containsExactly("agent-db-1", "agent-web-1");
        assertThat(agentIds("?state=idle")).containsExactly("agent-web-3", "agent-web-4");
        assertThat(agentIds("?host=nothing-*")).isEmpty();
    }

    @Test
    void agentsArePagedWithACursor() {
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            JsonNode page = api.get("/api/v1/agents?limit=2" + (after == null ? "" : "&after=" + after)).json();
            assertThat(page.path("total").asInt()).isEqualTo(5);
            seen.addAll(page.path("items").findValuesAsText("id"));
            after = page.hasNonNull("next") ? page.get("next").asText() : null;
            pages++;
        } while (after != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("agent-db-1", "agent-web-1", "agent-web-2", "agent-web-3", "agent-web-4");
    }

    @Test
    void badFiltersAre400() {
        assertThat(api.get("/api/v1/agents?host=web-[").fields()).containsExactly("host");
        assertThat(api.get("/api/v1/agents?limit=0").fields()).containsExactly("limit");
        assertThat(api.get("/api/v1/agents?limit=x").fields()).containsExactly("limit");
        assertThat(api.get("/api/v1/agents?label==prod").fields()).containsExactly("label");
        assertThat(api.get("/api/v1/routers?state=sleepy").fields()).containsExactly("state");
    }

    @Test
    void oneAgentAndOneRouter() {
        HttpJson.Answer a = api.get("/api/v1/agents/agent-web-2");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().path("host").asText()).isEqualTo("web-2");
        assertThat(a.json().path("status").path("nginx").path("lastError").asText()).isEqualTo("REJECTED NO_ROUTE");
        assertThat(api.get("/api/v1/agents/agent-gone").status()).isEqualTo(404);
        HttpJson.Answer r = api.get("/api/v1/routers/router-1");
        assertThat(r.json().path("load").asDouble()).isEqualTo(0.25);
        assertThat(r.json().path("state").asText()).isEqualTo("active");
        assertThat(api.get("/api/v1/routers/router-9").status()).isEqualTo(404);
    }

    @Test
    void routersAreListedWithLoadAndFilteredByState() {
        JsonNode all = api.get("/api/v1/routers").json();
        assertThat(all.path("items").findValuesAsText("id")).containsExactly("router-1", "router-2");
        JsonNode draining = api.get("/api/v1/routers?state=draining").json();
        assertThat(draining.path("items").findValuesAsText("id")).containsExactly("router-2");
        assertThat(api.get("/api/v1/routers?host=10.0.0.1").json().path("items").findValuesAsText("id")).containsExactly("router-1");
    }

    @Test
    void aRoutersConnectionsAreAskedFromItsHttpPortAndRefusalsSayWhy() throws Exception {
        // a router without an HTTP port, and one whose published port answers something else (control's own)
        try (EphemeralRegistration off = Fixtures.register(members, LAYOUT, new io.datastream.registry.member.RouterInfo("router-off",
                     "127.0.0.1", 7100, -1, "0.1.0", 1, 1, 1_000, 0, 0, false, System.currentTimeMillis()));
             EphemeralRegistration other = Fixtures.register(members, LAYOUT, new io.datastream.registry.member.RouterInfo("router-other",
                     "127.0.0.1", 7100, server.port(), "0.1.0", 1, 1, 1_000, 0, 0, false, System.currentTimeMillis()))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/routers/router-other").status() == 200
                    && api.get("/api/v1/routers/router-off").status() == 200);
            HttpJson.Answer noPort = api.get("/api/v1/routers/router-off/connections");
            assertThat(noPort.status()).isEqualTo(409);
            assertThat(noPort.json().path("error").asText()).contains("publishes no HTTP port").contains("/connections");
            HttpJson.Answer wrong = api.get("/api/v1/routers/router-other/connections");
            assertThat(wrong.status()).isEqualTo(502);
            assertThat(wrong.json().path("error").asText()).contains("router 'router-other'").contains("answered 404 for /connections");
            assertThat(api.get("/api/v1/routers/router-9/connections").status()).isEqualTo(404);
        }
    }

    @Test
    void aTaskStatusIsGatheredFromTheAgentsRunningIt() throws Exception {
        assertThat(api.post("/api/v1/tasks", "{\"id\":\"nginx\",\"paths\":[\"/var/log/nginx/*.log\"],"
                + "\"hosts\":{\"hostnames\":[\"web-*\"],\"labels\":{\"env\":\"prod\"}}}").status()).isEqualTo(201);
        JsonNode report = api.get("/api/v1/tasks/nginx/status").json();
        assertThat(report.path("taskId").asText()).isEqualTo("nginx");
        assertThat(report.path("agents").findValuesAsText("agentId")).containsExactly("agent-web-1", "agent-web-2");
        JsonNode sum = report.path("summary");
        assertThat(sum.path("reporting").asInt()).isEqualTo(2);
        assertThat(sum.path("matching").asInt()).isEqualTo(3);
        assertThat(sum.path("files").asInt()).isEqualTo(3);
        assertThat(sum.path("backlogBytes").asLong()).isEqualTo(6_000);
        assertThat(sum.path("maxLagMillis").asLong()).isEqualTo(9_000);
        assertThat(sum.path("errors").asLong()).isEqualTo(2);
        assertThat(sum.path("states").path("parked").asInt()).isEqualTo(1);
        assertThat(report.path("waiting").size()).isEqualTo(1);
        assertThat(report.path("waiting").get(0).asText()).isEqualTo("agent-web-4");

        // the agent publishes new counts: the gathered status follows
        web1.update(Fixtures.agent("agent-web-1", "web-1", Map.of("env", "prod", "dc", "eu"),
                Map.of("nginx", Fixtures.running(4, 0, 0, 500))));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(api.get("/api/v1/tasks/nginx/status").json().path("summary").path("files").asInt()).isEqualTo(5));
        assertThat(api.get("/api/v1/tasks/missing/status").status()).isEqualTo(404);
    }

    @Test
    void aDeadAgentLeavesTheLiveListAndIsListedDownUntilItComesBack() throws Exception {
        long before = System.currentTimeMillis();
        EphemeralRegistration temp = Fixtures.register(members, LAYOUT, Fixtures.agent("agent-temp", "tmp-1", Map.of("env", "tmp"), Map.of()));
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/agents/agent-temp").status() == 200);
        assertThat(agentIds("?host=tmp-*&state=up")).containsExactly("agent-temp");
        assertThat(agentIds("?host=tmp-*&state=down")).isEmpty();
        temp.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/agents/agent-temp").status() == 404);
        assertThat(agentIds("?host=tmp-*")).isEmpty();
        JsonNode down = api.get("/api/v1/agents?state=down&host=tmp-*").json();
        assertThat(down.path("total").asInt()).isEqualTo(1);
        JsonNode gone = down.path("items").get(0);
        assertThat(gone.path("id").asText()).isEqualTo("agent-temp");
        assertThat(gone.path("state").asText()).isEqualTo("down");
        assertThat(gone.path("labels").path("env").asText()).isEqualTo("tmp");
        assertThat(gone.path("downSinceMillis").asLong()).isBetween(before, System.currentTimeMillis());
        assertThat(down.path("forgotten").asLong()).isZero();
        // the other filters apply to what it last published
        assertThat(agentIds("?state=down&label=env=tmp")).containsExactly("agent-temp");
        assertThat(agentIds("?state=down&label=env=prod")).isEmpty();
        // back: live again, no longer down
        EphemeralRegistration back = Fixtures.register(members, LAYOUT, Fixtures.agent("agent-temp", "tmp-1", Map.of("env", "tmp"), Map.of()));
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/agents/agent-temp").status() == 200);
            assertThat(agentIds("?host=tmp-*&state=down")).isEmpty();
            assertThat(api.get("/api/v1/agents/agent-temp").json().path("state").asText()).isEqualTo("up");
        } finally {
            back.close();
        }
    }

    @Test
    void aRouterWhoseNodeWentAwayIsListedDown() throws Exception {
        EphemeralRegistration temp = Fixtures.register(members, LAYOUT, Fixtures.router("router-temp", "10.9.9.9", false, 1_000));
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/routers/router-temp").status() == 200);
        temp.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/routers/router-temp").status() == 404);
        assertThat(api.get("/api/v1/routers?host=10.9.9.9").json().path("total").asInt()).isZero();
        JsonNode down = api.get("/api/v1/routers?state=down&host=10.9.9.9").json();
        assertThat(down.path("items").findValuesAsText("id")).containsExactly("router-temp");
        assertThat(down.path("items").get(0).path("state").asText()).isEqualTo("down");
        assertThat(down.path("items").get(0).path("downSinceMillis").asLong()).isPositive();
        assertThat(api.get("/api/v1/routers?state=up").json().path("items").findValuesAsText("id")).containsExactly("router-1", "router-2");
        // the gauge counts every router down, router-temp and those other tests stopped
        String metrics = api.get("/metrics").text();
        assertThat(metrics).contains("ds_control_routers_down " + api.get("/api/v1/routers?state=down").json().path("total").asInt() + ".0")
                .contains("ds_control_routers_down_forgotten_total 0.0");
    }

    @Test
    void anAgentsTaskWatchSeesRestWritesWithinSeconds() throws Exception {
        try (CuratorFramework agentZk = ZkClients.start(zk.connectString());
             TaskDirectory watch = new TaskDirectory(agentZk, LAYOUT).start()) {
            HttpJson.Answer created = api.post("/api/v1/tasks", "{\"id\":\"watched\",\"paths\":[\"/var/log/w/*.log\"],"
                    + "\"hosts\":{\"hostnames\":[\"web-*\"]}}");
            assertThat(created.status()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                VersionedTask t = watch.tasks().get("watched");
                assertThat(t).isNotNull();
                assertThat(t.version()).isZero();
                assertThat(t.spec().hosts().matches("web-7", Map.of())).isTrue();
            });
            assertThat(api.put("/api/v1/tasks/watched", "{\"paths\":[\"/var/log/w2/*.log\"]}", "\"0\"").status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                VersionedTask t = watch.tasks().get("watched");
                assertThat(t.version()).isEqualTo(1);
                assertThat(t.spec().paths()).containsExactly("/var/log/w2/*.log");
            });
            assertThat(api.delete("/api/v1/tasks/watched", "\"1\"").status()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(5)).until(() -> !watch.tasks().containsKey("watched"));
        }
    }
}
