package io.datastream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.datastream.registry.member.AgentInfo;
import io.datastream.registry.member.EphemeralRegistration;
import io.datastream.registry.member.MemberDirectory;
import io.datastream.registry.member.RouterInfo;
import io.datastream.registry.task.InvalidTaskException;
import io.datastream.registry.task.TaskChange;
import io.datastream.registry.task.TaskConflictException;
import io.datastream.registry.task.TaskDirectory;
import io.datastream.registry.task.TaskNotFoundException;
import io.datastream.registry.task.TaskSpec;
import io.datastream.registry.task.TaskStore;
import io.datastream.registry.task.VersionedTask;
import io.datastream.embedded.zk.EmbeddedZooKeeper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RegistryIT {
    private static EmbeddedZooKeeper zk;
    private static CuratorFramework client;

    @BeforeAll
    static void start() {
        zk = EmbeddedZooKeeper.start();
        client = ZkClients.start(zk.connectString());
    }

    @AfterAll
    static void stop() {
        client.close();
        zk.close();
    }

    @Test
    void tasksAreVersionedAndStaleWritesConflict() throws Exception {
        ZkLayout layout = new ZkLayout("/crud");
        TaskStore store = new TaskStore(client, layout);
        VersionedTask created = store.create(TaskSpec.of("web", List.of("/var/log/*.log"), "ds-web"), "test");
        assertThat(created.version()).isZero();
        assertThatThrownBy(() -> store.create(TaskSpec.of("web", List.of("/x/*.log"), null), "test")).isInstanceOf(TaskConflictException.class);

        VersionedTask updated = store.update(TaskSpec.of("web", List.of("/var/log/**/*.log"), "ds-web"), created.version(), "test");
        assertThat(updated.version()).isEqualTo(1);
        assertThat(updated.spec().paths()).containsExactly("/var/log/**/*.log");
        assertThatThrownBy(() -> store.update(TaskSpec.of("web", List.of("/y/*.log"), null), 0, "test")).isInstanceOf(TaskConflictException.class);
        assertThat(store.get("web").spec().paths()).containsExactly("/var/log/**/*.log");

        assertThatThrownBy(() -> store.create(TaskSpec.of("bad", List.of("relative"), null), "test")).isInstanceOf(InvalidTaskException.class);
        assertThatThrownBy(() -> store.get("bad")).isInstanceOf(TaskNotFoundException.class);

        assertThat(store.list()).extracting(t -> t.spec().id()).containsExactly("web");
        assertThatThrownBy(() -> store.delete("web", 0, "test")).isInstanceOf(TaskConflictException.class);
        store.delete("web", 1, "test");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void everyWriteLeavesOneAuditRecordWithBeforeAndAfter() throws Exception {
        long[] now = {1_000};
        TaskStore store = new TaskStore(client, new ZkLayout("/audit"), () -> now[0]);
        TaskSpec v0 = TaskSpec.of("web", List.of("/var/log/*.log"), "ds-web");
        TaskSpec v1 = TaskSpec.of("web", List.of("/var/log/nginx/*.log"), "ds-web");
        store.create(v0, "alice");
        now[0] = 2_000;
        store.update(v1, -1, "bob");
        assertThatThrownBy(() -> store.update(v0, 0, "mallory")).isInstanceOf(TaskConflictException.class);
        now[0] = 3_000;
        store.delete("web", 1, "carol");

        List<TaskChange> history = store.history("web", 10);
        assertThat(history).containsExactly(
                new TaskChange(3_000, "carol", TaskChange.Action.DELETED, 1, v1, null),
                new TaskChange(2_000, "bob", TaskChange.Action.UPDATED, 1, v0, v1),
                new TaskChange(1_000, "alice", TaskChange.Action.CREATED, 0, null, v0));
        assertThat(store.history("web", 1)).hasSize(1);
        assertThat(store.history("never", 10)).isEmpty();
    }

    @Test
    void theAuditTrailIsBounded() throws Exception {
        TaskStore store = new TaskStore(client, new ZkLayout("/bounded"));
        store.create(TaskSpec.of("t", List.of("/a/*.log"), null), "a");
        for (int i = 0; i < TaskStore.MAX_CHANGES_PER_TASK + 5; i++) {
            store.update(TaskSpec.of("t", List.of("/a/" + i + "/*.log"), null), -1, "a");
        }
        List<TaskChange> history = store.history("t", 10_000);
        assertThat(history).hasSize(TaskStore.MAX_CHANGES_PER_TASK);
        assertThat(history.get(0).after().paths()).containsExactly("/a/" + (TaskStore.MAX_CHANGES_PER_TASK + 4) + "/*.log");
    }

    @Test
    void aWatcherSeesTaskChangesWithinSeconds() throws Exception {
        ZkLayout layout = new ZkLayout("/watch");
        TaskStore store = new TaskStore(client, layout);
        try (TaskDirectory dir = new TaskDirectory(client, layout).start()) {
            store.create(TaskSpec.of("a", List.of("/a/*.log"), null), "test");
            await().atMost(Duration.ofSeconds(5)).until(() -> dir.tasks().containsKey("a"));
            store.update(TaskSpec.of("a", List.of("/b/*.log"), null), 0, "test");
            await().atMost(Duration.ofSeconds(5)).until(() -> dir.tasks().get("a").spec().paths().equals(List.of("/b/*.log")));
            store.delete("a", -1, "test");
            await().atMost(Duration.ofSeconds(5)).until(() -> dir.tasks().isEmpty());
        }
    }

    @Test
    void updatesBeforeTheFirstCreateAreAppliedOnceZooKeeperIsBack() throws Exception {
        ZkLayout layout = new ZkLayout("/early");
        zk.stop();
        try (CuratorFramework c = ZkClients.start(zk.connectString());
             EphemeralRegistration reg = new EphemeralRegistration(c, layout.router("r"),
                     new RouterInfo("r", "h", 1, 2, "v", 1, 1, 100, 0, 0, false, 1)).start()) {
            reg.update(new RouterInfo("r", "h", 1, 2, "v", 1, 1, 100, 42, 0, false, 2));
            zk.restart();
            try (MemberDirectory<RouterInfo> routers = MemberDirectory.routers(client, layout).start()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> routers.get("r") != null && routers.get("r").poolUsedBytes() == 42);
            }
        } finally {
            if (!client.getZookeeperClient().isConnected()) {
                client.blockUntilConnected(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void ephemeralMembersAppearUpdateAndVanish() throws Exception {
        ZkLayout layout = new ZkLayout("/members");
        try (MemberDirectory<RouterInfo> routers = MemberDirectory.routers(client, layout).start();
             MemberDirectory<AgentInfo> agents = MemberDirectory.agents(client, layout).start()) {
            RouterInfo info = new RouterInfo("r1", "localhost", 7100, 7101, "0.1", 1, 1, 1000, 0, 0, false, 1);
            EphemeralRegistration reg = new EphemeralRegistration(client, layout.router("r1"), info).start();
            assertThat(reg.awaitCreated(5, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> routers.get("r1") != null);
            reg.update(new RouterInfo("r1", "localhost", 7100, 7101, "0.1", 1, 1, 1000, 500, 3, false, 2));
            await().atMost(Duration.ofSeconds(5)).until(() -> routers.get("r1").load() == 0.5);

            try (EphemeralRegistration a = new EphemeralRegistration(client, layout.agent("a1"),
                    new AgentInfo("a1", "web-1", "0.1", Map.of("env", "prod"), List.of("web"), Map.of(), null, 1, 1)).start()) {
                await().atMost(Duration.ofSeconds(5)).until(() -> agents.size() == 1);
                assertThat(agents.get("a1").labels()).containsEntry("env", "prod");
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> agents.size() == 0);

            reg.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> routers.size() == 0);
        }
    }
}
