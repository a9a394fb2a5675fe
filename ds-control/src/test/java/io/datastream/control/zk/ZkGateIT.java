package io.datastream.control.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.datastream.registry.task.TaskNotFoundException;
import io.datastream.embedded.zk.EmbeddedZooKeeper;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.Test;

/** The gate's guarantees: bounded waits, bounded queue, connection failures typed, other failures passed through. */
class ZkGateIT {

    @Test
    void aCallThatDoesNotAnswerInTimeIsUnavailableAndInterrupted() throws Exception {
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start();
             CuratorFramework client = ZkGate.newClient(zk.connectString(), Duration.ofSeconds(10), Duration.ofSeconds(1));
             ZkGate gate = new ZkGate(client, zk.connectString(), Duration.ofMillis(200), 1, 1)) {
            assertThat(client.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
            assertThat(gate.call(() -> client.checkExists().forPath("/")).getVersion()).isGreaterThanOrEqualTo(0);

            CountDownLatch interrupted = new CountDownLatch(1);
            assertThatThrownBy(() -> gate.call(() -> {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
                return null;
            })).isInstanceOf(ZooKeeperUnavailableException.class).hasMessageContaining("did not answer within 200 ms");
            assertThat(interrupted.await(5, TimeUnit.SECONDS)).as("the stuck call was interrupted").isTrue();
        }
    }

    @Test
    void aFullPoolRefusesAtOnce() throws Exception {
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start();
             CuratorFramework client = ZkGate.newClient(zk.connectString(), Duration.ofSeconds(10), Duration.ofSeconds(1));
             ZkGate gate = new ZkGate(client, zk.connectString(), Duration.ofSeconds(30), 1, 1)) {
            assertThat(client.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
            CountDownLatch release = new CountDownLatch(1);
            ExecutorService callers = Executors.newFixedThreadPool(2);
            try {
                Future<?> running = callers.submit(() -> gate.call(() -> release.await(30, TimeUnit.SECONDS)));
                Future<?> queued = callers.submit(() -> gate.call(() -> release.await(30, TimeUnit.SECONDS)));
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThatThrownBy(() -> gate.call(() -> 1)).isInstanceOf(ZooKeeperUnavailableException.class)
                                .hasMessageContaining("too many ZooKeeper calls in flight"));
                release.countDown();
                running.get(10, TimeUnit.SECONDS);
                queued.get(10, TimeUnit.SECONDS);
                assertThat(gate.call(() -> 2)).isEqualTo(2);
            } finally {
                callers.shutdownNow();
            }
        }
    }

    @Test
    void connectionFailuresAreUnavailableAndOtherFailuresPassThrough() throws Exception {
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start();
             CuratorFramework client = ZkGate.newClient(zk.connectString(), Duration.ofSeconds(10), Duration.ofSeconds(1));
             ZkGate gate = new ZkGate(client, zk.connectString(), Duration.ofSeconds(5), 2, 2)) {
            assertThat(client.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> gate.call(() -> {
                throw new KeeperException.ConnectionLossException();
            })).isInstanceOf(ZooKeeperUnavailableException.class).hasMessageContaining(zk.connectString());
            assertThatThrownBy(() -> gate.call(() -> {
                throw new TaskNotFoundException("x");
            })).isInstanceOf(TaskNotFoundException.class);
            assertThat(gate.connected()).isTrue();
            zk.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> !gate.connected());
            assertThatThrownBy(() -> gate.call(() -> 1)).isInstanceOf(ZooKeeperUnavailableException.class)
                    .hasMessageContaining("is not reachable");
            zk.restart();
            await().atMost(Duration.ofSeconds(20)).until(gate::connected);
            assertThat(gate.call(() -> 3)).isEqualTo(3);
        }
    }
}
