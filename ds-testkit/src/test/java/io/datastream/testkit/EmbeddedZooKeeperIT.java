package io.datastream.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.testkit.zk.EmbeddedZooKeeper;
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

    private static void write(String connect, String path, String value) throws Exception {
        try (CuratorFramework c = CuratorFrameworkFactory.newClient(connect, new RetryOneTime(100))) {
            c.start();
            c.create().creatingParentsIfNeeded().forPath(path, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
