/** A real ZooKeeper server in the JVM (Curator's TestingServer), with a chosen port and data dir. */
package io.datastream.testkit.zk;
