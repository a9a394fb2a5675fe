/**
 * {@code ds sink} writing to HDFS: a NameNode and two DataNodes, each its own process
 * ({@link io.datastream.it.support.HdfsCluster}), the sink as a separate {@code ds sink} process
 * with the Hadoop client on its class path, and the failures of each (a DataNode, the NameNode,
 * the sink itself).
 */
package io.datastream.it.hdfs;
