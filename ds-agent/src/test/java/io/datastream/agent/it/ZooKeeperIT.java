package io.datastream.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.agent.Agent;
import io.datastream.agent.AgentConfig;
import io.datastream.agent.testing.KafkaLines;
import io.datastream.agent.testing.LogWriter;
import io.datastream.agent.testing.TestCluster;
import io.datastream.registry.RegistryJson;
import io.datastream.registry.ZkClients;
import io.datastream.registry.ZkLayout;
import io.datastream.registry.member.AgentInfo;
import io.datastream.registry.member.TaskStatus;
import io.datastream.registry.task.HostSelector;
import io.datastream.registry.task.TaskSpec;
import io.datastream.registry.task.TaskStore;
import io.datastream.registry.task.VersionedTask;
import io.datastream.embedded.zk.EmbeddedZooKeeper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent with ZooKeeper: tasks assigned by host selector and changed at runtime, routers
 * found in ZooKeeper, the agent's registration with per-task status, and a task parked after
 * REJECTED and resumed when fixed.
 */
class ZooKeeperIT {
    private static TestCluster cluster;
    private static EmbeddedZooKeeper zookeeper;
    private static CuratorFramework zk;
    private static final ZkLayout LAYOUT = ZkLayout.defaults();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        cluster = new TestCluster();
        zookeeper = EmbeddedZooKeeper.start();
        zk = ZkClients.start(zookeeper.connectString());
        // a router found only through ZooKeeper; no default route, so a batch without ds.topic is rejected
        cluster.router("zk-r1", 0, "zookeeper: {connect: \"" + zookeeper.connectString() + "\", refreshIntervalMs: 200}\n"
                + "defaultRoute: {topic: \"\"}\n");
    }

    @AfterAll
    static void stop() {
        zk.close();
        cluster.close();
        zookeeper.close();
    }

    private Agent agent(String id) {
        return Agent.start(AgentConfig.fromYaml(AgentYaml.base(id, dir.resolve("data"), "\"127.0.0.1:1\"")
                + "labels: {dc: eu, role: web}\n"
                + "zookeeper: {connect: \"" + zookeeper.connectString() + "\"}\n"));
    }

    private static TaskSpec task(String id, Path logs, String topic, HostSelector hosts) {
        return new TaskSpec(id, List.of(logs + "/*.log"), null, topic, null, null, null, null, null, null, null, hosts, null, null);
    }

    private static AgentInfo registered(String agentId) throws Exception {
        return RegistryJson.read(zk.getData().forPath(LAYOUT.agent(agentId)), AgentInfo.class);
    }

    @Test
    void tasksFromZooKeeperArePickedUpChangedAndReported() throws Exception {
        TaskStore store = new TaskStore(zk, LAYOUT);
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("x.log"), "a line for another host that this agent must never read\n");
        store.create(task("zk-web", logs, "zk-web", new HostSelector(List.of("it-*"), Map.of("role", "web"))), "test");
        store.create(task("zk-db", other, "zk-db", new HostSelector(List.of(), Map.of("role", "db"))), "test");
        try (Agent agent = agent("zk-agent-1"); LogWriter w = new LogWriter(logs.resolve("app.log"), "zk");
             KafkaLines k = cluster.lines("zk-web"); KafkaLines k2 = cluster.lines("zk-web-2")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> agent.tasks().containsKey("zk-web"));
            assertThat(agent.tasks()).doesNotContainKey("zk-db");
            List<String> first = w.write(1000);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(k.poll().ledger().missing(first)).isEmpty());
            // the status is built from the shipper's report of the last checkpoint tick: it may lag the delivery a little
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(agent.status().router()).as("found through ZooKeeper").isNotNull());

            // change the topic: picked up at once, nothing read again
            VersionedTask v = store.get("zk-web");
            store.update(task("zk-web", logs, "zk-web-2", v.spec().hosts()), v.version(), "test");
            await().atMost(Duration.ofSeconds(20)).until(() -> "zk-web-2".equals(agent.tasks().get("zk-web").topic()));
            List<String> second = w.write(1000);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(k2.poll().ledger().missing(second)).isEmpty());
            k.poll();
            assertThat(k2.ledger().contents()).doesNotContainAnyElementsOf(first);
            k.ledger().assertExactlyOnceAfterDedup(first);
            k2.ledger().assertExactlyOnceAfterDedup(second);

            await().atMost(Duration.ofSeconds(20)).ignoreException(org.apache.zookeeper.KeeperException.NoNodeException.class).untilAsserted(() -> {
                AgentInfo info = registered("zk-agent-1");
                assertThat(info.tasks()).containsExactly("zk-web");
                assertThat(info.labels()).containsEntry("role", "web");
                TaskStatus st = info.status().get("zk-web");
                assertThat(st.state()).isEqualTo("running");
                assertThat(st.linesAcked()).isEqualTo(2000);
                assertThat(st.linesRead()).isEqualTo(2000);
                assertThat(st.backlogBytes()).isZero();
                assertThat(st.files()).isEqualTo(1);
                assertThat(info.router()).isNotNull();
            });

            store.delete("zk-web", -1, "test");
            await().atMost(Duration.ofSeconds(20)).until(() -> agent.tasks().isEmpty());
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> zk.checkExists().forPath(LAYOUT.agent("zk-agent-1")) == null);
    }

    @Test
    void aRejectedTaskIsParkedReportedAndResumedWhenFixed() throws Exception {
        TaskStore store = new TaskStore(zk, LAYOUT);
        Path logs = Files.createDirectories(dir.resolve("rejected"));
        store.create(task("no-topic", logs, null, HostSelector.ALL), "test");
        try (Agent agent = agent("zk-agent-2"); LogWriter w = new LogWriter(logs.resolve("app.log"), "rej");
             KafkaLines k = cluster.lines("fixed-topic")) {
            w.write(500);
            // the registration is created in the background: until it is, there is no node to read
            await().atMost(Duration.ofSeconds(30)).ignoreException(org.apache.zookeeper.KeeperException.NoNodeException.class).untilAsserted(() -> {
                TaskStatus st = registered("zk-agent-2").status().get("no-topic");
                assertThat(st).isNotNull();
                assertThat(st.state()).isEqualTo("parked");
                assertThat(st.lastError()).contains("NO_ROUTE");
                assertThat(st.errors()).isPositive();
                assertThat(st.linesAcked()).isZero();
            });
            w.write(500);
            VersionedTask v = store.get("no-topic");
            store.update(task("no-topic", logs, "fixed-topic", HostSelector.ALL), v.version(), "test");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(k.poll().ledger().missing(w.written())).isEmpty());
            k.ledger().assertExactlyOnceAfterDedup(w.written());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(agent.status().tasks().get("no-topic").state()).isEqualTo("running"));
        } finally {
            store.delete("no-topic", -1, "test");
        }
    }
}
