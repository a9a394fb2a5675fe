package io.datastream.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.datastream.agent.Agent;
import io.datastream.agent.AgentConfig;
import io.datastream.agent.testing.KafkaLines;
import io.datastream.agent.testing.LogWriter;
import io.datastream.agent.testing.TestCluster;
import io.datastream.embedded.zk.EmbeddedZooKeeper;
import io.datastream.registry.RegistryJson;
import io.datastream.registry.ZkClients;
import io.datastream.registry.ZkLayout;
import io.datastream.registry.acl.ZkAcls;
import io.datastream.registry.acl.ZkCredentials;
import io.datastream.registry.member.AgentInfo;
import io.datastream.registry.member.TaskStatus;
import io.datastream.registry.task.HostSelector;
import io.datastream.registry.task.TaskSpec;
import io.datastream.registry.task.TaskStore;
import io.datastream.router.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * The real agent and router on a ZooKeeper whose tree is locked with ACLs, with the router's
 * {@code auth.onlyAssignedTasks}: the agent delivers the task ZooKeeper assigns to its host; a
 * task ZooKeeper does not hold, a task assigned to other hosts and a task routed to another topic
 * than its own are refused with NOT_AUTHORIZED, counted, and shown in the agent's task status;
 * neither a client without credentials nor the agent's credential can write a task.
 */
class AssignedTasksIT {
    private static final ZkLayout LAYOUT = ZkLayout.defaults();
    private static TestCluster cluster;
    private static EmbeddedZooKeeper zookeeper;
    private static CuratorFramework control;
    private static Router router;
    private static Path agentCredentials;

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    private static Path credentials(String name, String text) throws Exception {
        Path f = shared.resolve(name + ".cred");
        Files.writeString(f, text + "\n");
        return f;
    }

    @BeforeAll
    static void start() throws Exception {
        cluster = new TestCluster();
        zookeeper = EmbeddedZooKeeper.start();
        Path controlFile = credentials("control", "control:control-password-0123456789");
        agentCredentials = credentials("agent", "agent:agent-password-0123456789");
        Path routerFile = credentials("router", "router:router-password-0123456789");
        ZkCredentials controlCred = ZkCredentials.fromFile(controlFile.toString());
        control = ZkClients.start(zookeeper.connectString(), Duration.ofSeconds(15), controlCred, LAYOUT);
        assertThat(control.blockUntilConnected(30, TimeUnit.SECONDS)).isTrue();
        ZkAcls.apply(control, LAYOUT, new ZkAcls.Roles(List.of(controlCred.id()),
                List.of(ZkCredentials.fromFile(agentCredentials.toString()).id()),
                List.of(ZkCredentials.fromFile(routerFile.toString()).id()), List.of()));
        router = cluster.router("assign-r", 0, "zookeeper: {connect: \"" + zookeeper.connectString() + "\", refreshIntervalMs: 200, authFile: "
                + routerFile + "}\n"
                + "auth: {onlyAssignedTasks: true}\n");
    }

    @AfterAll
    static void stop() {
        if (control != null) {
            control.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    private static TaskSpec task(String id, Path logs, String topic, HostSelector hosts) {
        return new TaskSpec(id, List.of(logs + "/*.log"), null, topic, null, null, null, null, null, null, null, hosts, null, null);
    }

    private Agent agent(String id, boolean zk, String localTasks) {
        return Agent.start(AgentConfig.fromYaml(AgentYaml.base(id, dir.resolve("data-" + id), "\"127.0.0.1:" + router.port() + "\"")
                + "labels: {role: web}\n"
                + (zk ? "zookeeper: {connect: \"" + zookeeper.connectString() + "\", authFile: " + agentCredentials + "}\n" : "")
                + (localTasks.isEmpty() ? "" : "tasks:\n" + localTasks)));
    }

    private static double refusals(String reason) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.httpPort() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        String prefix = "ds_router_auth_refusals_total{reason=\"" + reason + "\"} ";
        return body.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
                .findFirst().orElseThrow();
    }

    private static void parked(Agent agent, String task, String error) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            TaskStatus st = agent.status().tasks().get(task);
            assertThat(st).isNotNull();
            assertThat(st.state()).isEqualTo("parked");
            assertThat(st.lastError()).contains("NOT_AUTHORIZED").contains(error);
        });
    }

    @Test
    void anAgentWritesOnlyTheTasksZooKeeperAssignsToItsHost() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path rogueLogs = Files.createDirectories(dir.resolve("rogue"));
        Path dbLogs = Files.createDirectories(dir.resolve("db"));
        TaskStore store = new TaskStore(control, LAYOUT);
        store.create(task("assigned", logs, "assigned-ok", new HostSelector(List.of("it-*"), Map.of("role", "web"))), "test");
        store.create(task("db-only", dbLogs, "assigned-db", new HostSelector(List.of("db-*"), Map.of())), "test");
        double before = refusals("unassigned");
        String local = AgentYaml.task("rogue", rogueLogs + "/*.log", "assigned-rogue")
                + AgentYaml.task("db-only", dbLogs + "/*.log", "assigned-db");
        try (Agent agent = agent("assign-a1", true, local);
             LogWriter w = new LogWriter(logs.resolve("app.log"), "ok");
             LogWriter rogue = new LogWriter(rogueLogs.resolve("app.log"), "rogue");
             LogWriter db = new LogWriter(dbLogs.resolve("app.log"), "db");
             KafkaLines ok = cluster.lines("assigned-ok");
             KafkaLines rogueTopic = cluster.lines("assigned-rogue");
             KafkaLines dbTopic = cluster.lines("assigned-db")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> agent.tasks().containsKey("assigned"));
            List<String> lines = w.write(500);
            rogue.write(20);
            db.write(20);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(ok.poll().ledger().missing(lines)).isEmpty());
            ok.ledger().assertExactlyOnceAfterDedup(lines);

            parked(agent, "rogue", "task 'rogue' is not in ZooKeeper (auth.onlyAssignedTasks)");
            parked(agent, "db-only", "task 'db-only' is not assigned to host 'it-host' (agent 'assign-a1') in ZooKeeper");
            // the status reaches the agent's registration, which anyone can read and only the agent write
            try (CuratorFramework anonymous = ZkClients.start(zookeeper.connectString())) {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    AgentInfo info = RegistryJson.read(anonymous.getData().forPath(LAYOUT.agent("assign-a1")), AgentInfo.class);
                    assertThat(info.status().get("rogue").lastError()).contains("NOT_AUTHORIZED");
                });
                assertThatThrownBy(() -> anonymous.setData().forPath(LAYOUT.agent("assign-a1"), new byte[0]))
                        .isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> new TaskStore(anonymous, LAYOUT).create(task("evil", rogueLogs, "x", HostSelector.ALL), "mallory"))
                        .isInstanceOf(KeeperException.NoAuthException.class);
                assertThat(anonymous.checkExists().forPath(LAYOUT.router("assign-r"))).as("the router registered").isNotNull();
            }
            try (CuratorFramework asAgent = ZkClients.start(zookeeper.connectString(), Duration.ofSeconds(15),
                    ZkCredentials.fromFile(agentCredentials.toString()), LAYOUT)) {
                assertThatThrownBy(() -> new TaskStore(asAgent, LAYOUT).create(task("evil", rogueLogs, "x", HostSelector.ALL), "agent"))
                        .isInstanceOf(KeeperException.NoAuthException.class);
            }
            assertThat(rogueTopic.poll().records()).isZero();
            assertThat(dbTopic.poll().records()).isZero();
        }
        assertThat(refusals("unassigned")).isGreaterThanOrEqualTo(before + 2);
    }

    @Test
    void anAssignedTaskRoutedToAnotherTopicIsRefused() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        new TaskStore(control, LAYOUT).create(task("topic-bound", logs, "bound-ok", HostSelector.ALL), "test");
        // an agent without ZooKeeper sends the task id with a topic of its choosing
        try (Agent agent = agent("assign-a2", false, AgentYaml.task("topic-bound", logs + "/*.log", "bound-evil"));
             LogWriter w = new LogWriter(logs.resolve("app.log"), "t");
             KafkaLines evil = cluster.lines("bound-evil")) {
            w.write(20);
            parked(agent, "topic-bound", "task 'topic-bound' writes topic 'bound-ok', not 'bound-evil'");
            assertThat(evil.poll().records()).isZero();
        }
    }
}
