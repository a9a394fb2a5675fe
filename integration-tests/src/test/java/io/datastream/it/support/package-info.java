/**
 * What the end-to-end suites share: {@code ds} processes started as separate JVMs
 * ({@link io.datastream.it.support.DsProcess}), HAProxy from the host's Debian package
 * ({@link io.datastream.it.support.Haproxy}), Prometheus scrapes
 * ({@link io.datastream.it.support.Scrape}), log files written and rotated while a record of every
 * line is kept ({@link io.datastream.it.support.LogFiles}), the reconciliation of each tier's
 * counts ({@link io.datastream.it.support.Tiers}), a router and an agent writing the tasks'
 * topics for the sink suites ({@link io.datastream.it.support.Feed}), HDFS as one process
 * ({@link io.datastream.it.support.MiniHdfs}) or as a NameNode and DataNodes
 * ({@link io.datastream.it.support.HdfsCluster}) read through WebHDFS
 * ({@link io.datastream.it.support.WebHdfs}), three Kafka nodes
 * ({@link io.datastream.it.support.KafkaTrio}), a ZooKeeper ensemble of three
 * ({@link io.datastream.it.support.ZooKeeperTrio}), other JVMs that are not ds commands
 * ({@link io.datastream.it.support.JvmProcess}) and the JVM options they all get
 * ({@link io.datastream.it.support.JvmFlags}).
 */
package io.datastream.it.support;
