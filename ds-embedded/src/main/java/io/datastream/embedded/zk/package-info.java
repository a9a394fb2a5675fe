/** A real ZooKeeper server in the JVM (ZooKeeper's ZooKeeperServerEmbedded), on a chosen address, port and data directory. */
package io.datastream.embedded.zk;
