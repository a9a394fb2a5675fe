package io.datastream.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.registry.ZkClients;
import io.datastream.registry.ZkLayout;
import io.datastream.registry.member.EphemeralRegistration;
import io.datastream.testkit.net.FreePorts;
import io.datastream.embedded.zk.EmbeddedZooKeeper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ZooKeeper going away: the API answers 503 with a clear message, fast, and recovers by itself. */
class ZooKeeperOutageIT {

    private static ControlConfig config(String connect) {
        return ControlConfig.fromYaml("http: {host: 127.0.0.1, port: 0}\nstore: {path: target/ops-db/zk-outage.db}\nzookeeper: {connect: '" + connect
                + "', sessionTimeoutMs: 6000, operationTimeoutMs: 1000}\n");
    }

    @Test
    @SuppressWarnings("try") // the registration only has to exist while the test runs
    void zooKeeperStoppedIs503ThenTheApiRecoversByItself() throws Exception {
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start();
             ControlServer server = ControlServer.start(config(zk.connectString()));
             CuratorFramework agentZk = ZkClients.start(zk.connectString());
             EphemeralRegistration agent = Fixtures.register(agentZk, ZkLayout.defaults(),
                     Fixtures.agent("agent-1", "web-1", Map.of(), Map.of()))) {
            HttpJson api = new HttpJson(server.localUrl());
            assertThat(api.post("/api/v1/tasks", Fixtures.task("before", null)).status()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/agents/agent-1").status() == 200);

            zk.stop();
            await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/v1/tasks").status() == 503);
            HttpJson.Answer list = api.get("/api/v1/tasks");
            assertThat(list.status()).isEqualTo(503);
            assertThat(list.error()).contains("ZooKeeper at " + zk.connectString()).contains("retry later");
            assertThat(list.header("Retry-After")).isEqualTo("5");
            HttpJson.Answer create = api.post("/api/v1/tasks", Fixtures.task("during", null));
            assertThat(create.status()).isEqualTo(503);
            assertThat(create.error()).contains("ZooKeeper");
            assertThat(api.get("/api/v1/agents").status()).isEqualTo(503);
            assertThat(api.get("/api/v1/tasks/before/status").status()).isEqualTo(503);
            HttpJson.Answer health = api.get("/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().path("status").asText()).isEqualTo("DOWN");
            // bad input is still bad input, whatever ZooKeeper does
            assertThat(api.post("/api/v1/tasks", "{\"id\":\"x\"}").status()).isEqualTo(400);
            assertThat(api.get("/metrics").text()).contains("ds_control_zookeeper_connected 0");

            zk.restart();
            await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/tasks").status() == 200);
            assertThat(api.get("/api/v1/tasks").json().path("items").findValuesAsText("id")).contains("before");
            assertThat(api.post("/api/v1/tasks", Fixtures.task("after", null)).status()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/agents/agent-1").status() == 200);
            assertThat(api.get("/health").status()).isEqualTo(200);
        }
    }

    @Test
    @SuppressWarnings("try")
    void aServerStartedBeforeZooKeeperWorksOnceZooKeeperIsUp(@TempDir Path dir) throws Exception {
        int port = FreePorts.next();
        try (ControlServer server = ControlServer.start(config("127.0.0.1:" + port))) {
            HttpJson api = new HttpJson(server.localUrl());
            HttpJson.Answer early = api.get("/api/v1/tasks");
            assertThat(early.status()).isEqualTo(503);
            assertThat(early.error()).contains("not reachable");
            try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(port, dir)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/tasks").status() == 200);
                assertThat(api.post("/api/v1/tasks", Fixtures.task("late", null)).status()).isEqualTo(201);
                try (CuratorFramework agentZk = ZkClients.start(zk.connectString());
                     EphemeralRegistration agent = Fixtures.register(agentZk, ZkLayout.defaults(),
                             Fixtures.agent("agent-late", "web-9", Map.of(), Map.of()))) {
                    await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/agents/agent-late").status() == 200);
                }
            }
        }
    }
}
