/**
 * {@code ds sink} writing to HDFS: a MiniDFSCluster in the test JVM, the sink as a separate
 * {@code ds sink} process with the Hadoop client on its class path.
 */
package io.datastream.it.hdfs;
