package io.datastream.registry;

import io.datastream.registry.acl.DatastreamAclProvider;
import io.datastream.registry.acl.ZkCredentials;
import java.time.Duration;
import org.apache.curator.RetryPolicy;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;

/** Curator clients configured the same way in every component. */
public final class ZkClients {
    private ZkClients() {
    }

    /**
     * A started client for {@code connectString} that retries with exponential backoff
     * (0.5 s up to 5 s, 29 times) per operation; the client itself reconnects for ever.
     */
    public static CuratorFramework start(String connectString, Duration sessionTimeout) {
        return start(connectString, sessionTimeout, new BoundedExponentialBackoffRetry(500, 5_000, 29));
    }

    /** A started client with a chosen retry policy (e.g. fail-fast for request handlers). */
    public static CuratorFramework start(String connectString, Duration sessionTimeout, RetryPolicy retryPolicy) {
        CuratorFramework client = builder(connectString, sessionTimeout, 10_000, null, ZkLayout.defaults())
                .retryPolicy(retryPolicy)
                .build();
        client.start();
        return client;
    }

    /**
     * A started client like {@link #start(String, Duration)} that authenticates with {@code
     * credentials} (digest; null = none) and gives the nodes it creates under {@code layout} the
     * ACLs of {@link DatastreamAclProvider}.
     */
    public static CuratorFramework start(String connectString, Duration sessionTimeout, ZkCredentials credentials, ZkLayout layout) {
        CuratorFramework client = builder(connectString, sessionTimeout, 10_000, credentials, layout)
                .retryPolicy(new BoundedExponentialBackoffRetry(500, 5_000, 29))
                .build();
        client.start();
        return client;
    }

    /**
     * A builder with the session settings, credential and ACL provider of every Datastream client;
     * the caller adds the retry policy.
     */
    public static CuratorFrameworkFactory.Builder builder(String connectString, Duration sessionTimeout, int connectionTimeoutMs,
                                                          ZkCredentials credentials, ZkLayout layout) {
        CuratorFrameworkFactory.Builder b = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs((int) sessionTimeout.toMillis())
                .connectionTimeoutMs(connectionTimeoutMs)
                .aclProvider(new DatastreamAclProvider(layout, credentials != null));
        if (credentials != null) {
            b.authorization("digest", credentials.authBytes());
        }
        return b;
    }

    public static CuratorFramework start(String connectString) {
        return start(connectString, Duration.ofSeconds(15));
    }
}
