/**
 * File discovery: glob scans with exclusions, bounded per task, and inotify (java.nio
 * WatchService) to notice new, moved and written files at once, with periodic scans as the
 * fallback. Runs on its own thread and talks to the tailer through
 * {@link io.datastream.agent.discovery.DiscoveryListener}.
 */
package io.datastream.agent.discovery;
