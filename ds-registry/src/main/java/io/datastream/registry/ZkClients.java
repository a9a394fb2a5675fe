package io.datastream.registry;

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
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs((int) sessionTimeout.toMillis())
                .connectionTimeoutMs(10_000)
                .retryPolicy(retryPolicy)
                .build();
        client.start();
        return client;
    }

    public static CuratorFramework start(String connectString) {
        return start(connectString, Duration.ofSeconds(15));
    }
}
