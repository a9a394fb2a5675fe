package io.datastream.router.config;

import io.datastream.registry.acl.ZkCredentials;

/**
 * {@code zookeeper.*}: registration of the router; off when {@code connect} is empty (default).
 *
 * @param connect           ZooKeeper connect string, or empty for no registration
 * @param root              root path of Datastream's nodes (default /datastream)
 * @param sessionTimeoutMs  ZooKeeper session timeout
 * @param refreshIntervalMs how often the router rewrites its node with its current load
 * @param authFile          file holding the digest credential {@code user:password}; empty = none
 * @param authEnv           environment variable holding it, instead of {@code authFile}
 */
public record ZooKeeperConfig(String connect, String root, Integer sessionTimeoutMs, Integer refreshIntervalMs, String authFile,
                              String authEnv) {
    public ZooKeeperConfig {
        connect = connect == null ? "" : connect.trim();
        root = root == null ? "/datastream" : root;
        sessionTimeoutMs = sessionTimeoutMs == null ? 15_000 : sessionTimeoutMs;
        refreshIntervalMs = refreshIntervalMs == null ? 3_000 : refreshIntervalMs;
    }

    /** The digest credential of {@code authFile} or {@code authEnv}, or null. @throws IllegalArgumentException if unreadable */
    public ZkCredentials credentials() {
        return ZkCredentials.from(authFile, authEnv);
    }

    public boolean enabled() {
        return !connect.isEmpty();
    }

    public void validate(ConfigErrors e) {
        e.check(root.startsWith("/") && (root.length() == 1 || !root.endsWith("/")) && !root.contains("//"), "zookeeper.root",
                "must be an absolute path like /datastream, was '" + root + "'");
        e.between(sessionTimeoutMs, 1_000, 600_000, "zookeeper.sessionTimeoutMs");
        e.between(refreshIntervalMs, 100, 600_000, "zookeeper.refreshIntervalMs");
        try {
            credentials();
        } catch (IllegalArgumentException x) {
            e.add(authFile != null && !authFile.isEmpty() ? "zookeeper.authFile" : "zookeeper.authEnv", x.getMessage());
        }
    }
}
