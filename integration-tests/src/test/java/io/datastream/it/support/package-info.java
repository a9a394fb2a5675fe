/**
 * What the end-to-end suites share: {@code ds} processes started as separate JVMs
 * ({@link io.datastream.it.support.DsProcess}), HAProxy from the host's Debian package
 * ({@link io.datastream.it.support.Haproxy}), Prometheus scrapes
 * ({@link io.datastream.it.support.Scrape}), log files written and rotated while a record of every
 * line is kept ({@link io.datastream.it.support.LogFiles}), the reconciliation of each tier's
 * counts ({@link io.datastream.it.support.Tiers}), a router and an agent writing one task's
 * topic for the sink suites ({@link io.datastream.it.support.Feed}), HDFS as its own process
 * ({@link io.datastream.it.support.MiniHdfs}) and other JVMs that are not ds commands
 * ({@link io.datastream.it.support.JvmProcess}).
 */
package io.datastream.it.support;
