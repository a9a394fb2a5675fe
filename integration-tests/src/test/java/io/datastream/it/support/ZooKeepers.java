package io.datastream.it.support;

import io.datastream.embedded.zk.EmbeddedZooKeeper;

/**
 * The ZooKeeper an end-to-end suite runs on: one server in the test JVM
 * ({@link #single(EmbeddedZooKeeper)}), or an ensemble of three server processes ({@link ZooKeeperTrio}).
 */
public interface ZooKeepers extends AutoCloseable {
    /** The connect string every component is given ({@code host:port,host:port,...}). */
    String connectString();

    @Override
    void close();

    static ZooKeepers single(EmbeddedZooKeeper zk) {
        return new ZooKeepers() {
            @Override
            public String connectString() {
                return zk.connectString();
            }

            @Override
            public void close() {
                zk.close();
            }

            @Override
            public String toString() {
                return "ZooKeeper at " + zk.connectString();
            }
        };
    }
}
