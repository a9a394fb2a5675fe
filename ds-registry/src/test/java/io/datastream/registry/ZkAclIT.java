package io.datastream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datastream.embedded.zk.EmbeddedZooKeeper;
import io.datastream.registry.acl.ZkAcls;
import io.datastream.registry.acl.ZkCredentials;
import io.datastream.registry.member.AgentInfo;
import io.datastream.registry.member.EphemeralRegistration;
import io.datastream.registry.member.MemberDirectory;
import io.datastream.registry.member.RouterInfo;
import io.datastream.registry.task.TaskSpec;
import io.datastream.registry.task.TaskStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Digest authentication and the ACLs of {@link ZkAcls} against a real ZooKeeper. */
class ZkAclIT {
    private static final ZkCredentials CONTROL = ZkCredentials.parse("control:control-secret-0123456789", "test");
    private static final ZkCredentials AGENT = ZkCredentials.parse("agent:agent-secret-0123456789", "test");
    private static final ZkCredentials ROUTER = ZkCredentials.parse("router:router-secret-0123456789", "test");
    private static final ZkCredentials SINK = ZkCredentials.parse("sink:sink-secret-0123456789", "test");

    private static EmbeddedZooKeeper zk;

    @BeforeAll
    static void start() {
        // the server removes empty container nodes every 100 ms instead of every minute
        System.setProperty("znode.container.checkIntervalMs", "100");
        zk = EmbeddedZooKeeper.start();
    }

    @AfterAll
    static void stop() {
        zk.close();
    }

    private static CuratorFramework client(ZkCredentials c, ZkLayout layout) throws InterruptedException {
        CuratorFramework f = ZkClients.start(zk.connectString(), Duration.ofSeconds(15), c, layout);
        assertThat(f.blockUntilConnected(30, TimeUnit.SECONDS)).isTrue();
        return f;
    }

    private static ZkAcls.Roles roles() {
        return new ZkAcls.Roles(List.of(CONTROL.id()), List.of(AGENT.id()), List.of(ROUTER.id()), List.of(SINK.id()));
    }

    private static AgentInfo agentInfo(String id) {
        return new AgentInfo(id, "web-1", "t", Map.of(), List.of(), Map.of(), null, 1, 1);
    }

    @Test
    void onlyControlWritesTasksAndEachComponentOnlyItsOwnNode() throws Exception {
        ZkLayout layout = new ZkLayout("/acl");
        try (CuratorFramework control = client(CONTROL, layout);
             CuratorFramework agent = client(AGENT, layout);
             CuratorFramework router = client(ROUTER, layout);
             CuratorFramework anonymous = client(null, layout)) {
            ZkAcls.Report report = ZkAcls.apply(control, layout, roles());
            assertThat(report.kept()).isEmpty();
            TaskStore byControl = new TaskStore(control, layout);
            byControl.create(TaskSpec.of("web", List.of("/var/log/*.log"), "ds-web"), "alice");

            // no credential: no task, no registration, no change; reading tasks still works
            TaskStore byAnonymous = new TaskStore(anonymous, layout);
            assertThatThrownBy(() -> byAnonymous.create(TaskSpec.of("evil", List.of("/etc/*"), "x"), "mallory"))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> byAnonymous.update(TaskSpec.of("web", List.of("/etc/*"), "x"), -1, "mallory"))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> anonymous.create().forPath(layout.agent("fake"), new byte[0]))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> anonymous.delete().forPath(layout.task("web"))).isInstanceOf(KeeperException.NoAuthException.class);
            assertThat(byAnonymous.get("web").spec().paths()).containsExactly("/var/log/*.log");
            assertThatThrownBy(() -> byAnonymous.history("web", 10)).isInstanceOf(KeeperException.NoAuthException.class);

            // an agent's credential: its own registration, no task
            TaskStore byAgent = new TaskStore(agent, layout);
            assertThatThrownBy(() -> byAgent.create(TaskSpec.of("evil", List.of("/etc/*"), "x"), "agent"))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> agent.setData().forPath(layout.task("web"), new byte[0]))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            try (EphemeralRegistration reg = new EphemeralRegistration(agent, layout.agent("a1"), agentInfo("a1")).start()) {
                assertThat(reg.awaitCreated(10, TimeUnit.SECONDS)).isTrue();
                reg.update(agentInfo("a1"));
                // a router may not write an agent's node, nor register as an agent
                assertThatThrownBy(() -> router.setData().forPath(layout.agent("a1"), new byte[0]))
                        .isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> router.create().forPath(layout.agent("a2"), new byte[0]))
                        .isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> anonymous.setData().forPath(layout.agent("a1"), new byte[0]))
                        .isInstanceOf(KeeperException.NoAuthException.class);
                // nor may control
                assertThatThrownBy(() -> control.setData().forPath(layout.agent("a1"), new byte[0]))
                        .isInstanceOf(KeeperException.NoAuthException.class);
                assertThat(anonymous.getData().forPath(layout.agent("a1"))).isNotEmpty();
            }
            try (EphemeralRegistration reg = new EphemeralRegistration(router, layout.router("r1"),
                    new RouterInfo("r1", "h", 1, 2, "t", 1, 1, 100, 0, 0, false, 1)).start()) {
                assertThat(reg.awaitCreated(10, TimeUnit.SECONDS)).isTrue();
                assertThatThrownBy(() -> agent.setData().forPath(layout.router("r1"), new byte[0]))
                        .isInstanceOf(KeeperException.NoAuthException.class);
            }
            // control keeps working: update, delete, history
            byControl.update(TaskSpec.of("web", List.of("/var/log/nginx/*.log"), "ds-web"), -1, "bob");
            assertThat(byControl.history("web", 10)).hasSize(2);
            byControl.delete("web", -1, "carol");
            assertThat(byControl.list()).isEmpty();
        }
    }

    @Test
    void anExistingWorldWritableTreeIsLockedByApplyAndOpenedAgainByOpen() throws Exception {
        ZkLayout layout = new ZkLayout("/migrate");
        try (CuratorFramework before = client(null, layout);
             CuratorFramework control = client(CONTROL, layout);
             CuratorFramework anonymous = client(null, layout)) {
            // the tree as components without credentials left it
            new TaskStore(before, layout).create(TaskSpec.of("old", List.of("/var/log/*.log"), "ds-old"), "alice");
            before.create().creatingParentsIfNeeded().forPath(layout.sink("s1"), "{}".getBytes());
            anonymous.setData().forPath(layout.task("old"), before.getData().forPath(layout.task("old")));

            ZkAcls.Report report = ZkAcls.apply(control, layout, roles());
            assertThat(report.kept()).isEmpty();
            assertThatThrownBy(() -> anonymous.setData().forPath(layout.task("old"), new byte[0]))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> anonymous.setData().forPath(layout.sink("s1"), new byte[0]))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            try (CuratorFramework sink = client(SINK, layout)) {
                sink.setData().forPath(layout.sink("s1"), "{}".getBytes());
            }
            assertThat(ZkAcls.apply(control, layout, roles()).kept()).isEmpty(); // idempotent

            ZkAcls.open(control, layout);
            anonymous.setData().forPath(layout.task("old"), control.getData().forPath(layout.task("old")));
            new TaskStore(anonymous, layout).update(TaskSpec.of("old", List.of("/var/log/x/*.log"), "ds-old"), -1, "anyone");
        }
    }

    @Test
    void componentsWithCredentialsInAnUnprovisionedTreeLeaveItsStructureOpen() throws Exception {
        ZkLayout layout = new ZkLayout("/unprovisioned");
        try (CuratorFramework agent = client(AGENT, layout);
             CuratorFramework router = client(ROUTER, layout);
             EphemeralRegistration a = new EphemeralRegistration(agent, layout.agent("a1"), agentInfo("a1")).start()) {
            assertThat(a.awaitCreated(10, TimeUnit.SECONDS)).isTrue();
            // the agent created {root} and {root}/agents open, so the router can still register
            try (EphemeralRegistration r = new EphemeralRegistration(router, layout.router("r1"),
                    new RouterInfo("r1", "h", 1, 2, "t", 1, 1, 100, 0, 0, false, 1)).start()) {
                assertThat(r.awaitCreated(10, TimeUnit.SECONDS)).isTrue();
            }
            // but the agent's own node is its own already
            assertThatThrownBy(() -> router.setData().forPath(layout.agent("a1"), new byte[0]))
                    .isInstanceOf(KeeperException.NoAuthException.class);
        }
    }

    @Test
    void aProvisionedParentOutlivesItsLastRegistration() throws Exception {
        ZkLayout layout = new ZkLayout("/containers");
        ZkLayout unprovisioned = new ZkLayout("/containers-open");
        try (CuratorFramework control = client(CONTROL, layout);
             CuratorFramework agent = client(AGENT, layout);
             CuratorFramework anonymous = client(null, layout)) {
            // {root}/agents as a container node (as Curator's creatingParentContainersIfNeeded may make it), which
            // ZooKeeper deletes once its last child is gone
            for (ZkLayout l : List.of(layout, unprovisioned)) {
                anonymous.create().creatingParentsIfNeeded().forPath(l.root());
                anonymous.getZookeeperClient().getZooKeeper().create(l.agents(), new byte[0],
                        org.apache.zookeeper.ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
            }
            agent.create().withMode(CreateMode.EPHEMERAL).forPath(layout.agent("a1"));
            anonymous.create().withMode(CreateMode.EPHEMERAL).forPath(unprovisioned.agent("x"));
            ZkAcls.apply(control, layout, roles());
            assertThat(anonymous.checkExists().forPath(layout.agents() + "/" + ZkAcls.KEEP)).isNotNull();
            agent.delete().forPath(layout.agent("a1"));
            anonymous.delete().forPath(unprovisioned.agent("x"));
            // the open tree's container goes away: ZooKeeper's container manager has run
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> anonymous.checkExists().forPath(unprovisioned.agents()) == null);
            // the provisioned one stays, with its ACL, and is not listed as a member
            assertThat(anonymous.checkExists().forPath(layout.agents())).isNotNull();
            assertThatThrownBy(() -> anonymous.create().forPath(layout.agent("fake"), new byte[0]))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            try (MemberDirectory<AgentInfo> agents = MemberDirectory.agents(anonymous, layout).start();
                 EphemeralRegistration a2 = new EphemeralRegistration(agent, layout.agent("a2"), agentInfo("a2")).start()) {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> agents.get("a2") != null);
                assertThat(agents.members()).extracting(AgentInfo::id).containsExactly("a2");
            }
        }
    }

    @Test
    void credentialsNeverShowTheirPassword() {
        assertThat(CONTROL.toString()).contains("control").doesNotContain("control-secret");
        assertThatThrownBy(() -> ZkCredentials.parse("user:short", "file 'x'"))
                .hasMessage("file 'x': the password must be one line of 16-1024 characters");
        assertThatThrownBy(() -> ZkCredentials.parse("no-colon-secret-secret", "environment variable X"))
                .hasMessage("environment variable X must hold user:password")
                .message().doesNotContain("secret");
        assertThatThrownBy(() -> ZkCredentials.fromEnv("DS_TEST_UNSET_VARIABLE", Map.of()))
                .hasMessage("environment variable DS_TEST_UNSET_VARIABLE is not set");
    }
}
