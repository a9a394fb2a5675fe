package io.datastream.router.config;

import io.datastream.config.Doc;
import io.datastream.registry.acl.ZkCredentials;

/**
 * {@code zookeeper.*}: registration of the router; off when {@code connect} is empty (default).
 */
public record ZooKeeperConfig(
        @Doc("ZooKeeper connect string; empty = no registration, no migration")
        String connect,
        @Doc("root of Datastream's nodes")
        String root,
        @Doc("ZooKeeper session timeout")
        Integer sessionTimeoutMs,
        @Doc("how often the router rewrites its node")
        Integer refreshIntervalMs,
        @Doc("a file holding the ZooKeeper digest credential `user:password` ([security.md](security.md#zookeeper)); empty = none")
        String authFile,
        @Doc("an environment variable holding the credential, instead of `zookeeper.authFile`")
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
