package io.datastream.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.embedded.zk.EmbeddedZooKeeper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedZooKeeperIT {

    @Test
    void dataInAGivenDirectorySurvivesAServerRestart(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("zk"));
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(0, data)) {
            write(zk.connectString(), "/ds/x", "hello");
        }
        // a new server on the same directory sees the node
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(0, data);
             CuratorFramework c = CuratorFrameworkFactory.newClient(zk.connectString(), new RetryOneTime(100))) {
            c.start();
            assertThat(new String(c.getData().forPath("/ds/x"), StandardCharsets.UTF_8)).isEqualTo("hello");
        }
    }

    @Test
    void stopAndRestartKeepTheDataAndThePort(@TempDir Path dir) throws Exception {
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(0, dir)) {
            write(zk.connectString(), "/ds/y", "kept");
            int port = zk.port();
            zk.stop();
            zk.restart();
            assertThat(zk.port()).isEqualTo(port);
            try (CuratorFramework c = CuratorFrameworkFactory.newClient(zk.connectString(), new RetryOneTime(100))) {
                c.start();
                assertThat(new String(c.getData().forPath("/ds/y"), StandardCharsets.UTF_8)).isEqualTo("kept");
            }
        }
    }

    @Test
    void aTakenPortIsAnExceptionNotAnExitOfTheJvm(@TempDir Path dir) throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> EmbeddedZooKeeper.start(taken.getLocalPort(), dir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("ZooKeeper did not start on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void itListensOnLoopbackOnly(@TempDir Path dir) throws Exception {
        java.net.InetAddress external = Networks.nonLoopbackAddress();
        org.junit.jupiter.api.Assumptions.assumeTrue(external != null, "no non-loopback address on this machine");
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(0, dir)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
                try (java.net.Socket s = new java.net.Socket()) {
                    s.connect(new java.net.InetSocketAddress(external, zk.port()), 2_000);
                }
            }).isInstanceOf(java.net.ConnectException.class);
        }
    }

    private static void write(String connect, String path, String value) throws Exception {
        try (CuratorFramework c = CuratorFrameworkFactory.newClient(connect, new RetryOneTime(100))) {
            c.start();
            c.create().creatingParentsIfNeeded().forPath(path, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
