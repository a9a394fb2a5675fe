/**
 * {@code ds sink} writing to HDFS: HDFS as its own process ({@link io.datastream.it.support.MiniHdfs}), the sink as a separate
 * {@code ds sink} process with the Hadoop client on its class path.
 */
package io.datastream.it.hdfs;
