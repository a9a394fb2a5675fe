package io.datastream.control.zk;

import io.datastream.registry.ZkClients;
import io.datastream.registry.ZkLayout;
import io.datastream.registry.acl.ZkCredentials;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;

/**
 * Runs ZooKeeper work for the API, failing fast: a call is refused at once while the Curator
 * connection is down, and waits at most the operation timeout (a call still running then is
 * interrupted). The calls run on a small bounded pool; when it is full the call is refused too,
 * so a dead ZooKeeper can never pile up HTTP threads.
 */
public final class ZkGate implements AutoCloseable {
    private final CuratorFramework zk;
    private final String connectString;
    private final long timeoutMillis;
    private final ThreadPoolExecutor pool;
    private volatile ConnectionState lastState;

    /**
     * @param zk            a started client
     * @param connectString for messages
     * @param timeout       bound of one call
     * @param threads       calls running at once
     * @param queue         calls waiting at most
     */
    public ZkGate(CuratorFramework zk, String connectString, Duration timeout, int threads, int queue) {
        this.zk = zk;
        this.connectString = connectString;
        this.timeoutMillis = timeout.toMillis();
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, "ds-control-zk-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        zk.getConnectionStateListenable().addListener((client, state) -> lastState = state);
    }

    /**
     * A client for the API: same session settings as every component, but a short retry policy,
     * because the gate answers 503 instead of waiting for ZooKeeper to come back.
     */
    public static CuratorFramework newClient(String connectString, Duration sessionTimeout, Duration operationTimeout) {
        return newClient(connectString, sessionTimeout, operationTimeout, null, ZkLayout.defaults());
    }

    /** {@link #newClient(String, Duration, Duration)} authenticated with {@code credentials} (null = none), ACLs under {@code layout}. */
    public static CuratorFramework newClient(String connectString, Duration sessionTimeout, Duration operationTimeout,
                                             ZkCredentials credentials, ZkLayout layout) {
        CuratorFramework client = ZkClients.builder(connectString, sessionTimeout,
                        (int) Math.min(operationTimeout.toMillis(), sessionTimeout.toMillis()), credentials, layout)
                .retryPolicy(new BoundedExponentialBackoffRetry(100, 1_000, 3))
                .build();
        client.start();
        return client;
    }

    /** True while the client holds a live connection to ZooKeeper. */
    public boolean connected() {
        return zk.getZookeeperClient().isConnected();
    }

    /** The last connection state Curator reported ("CONNECTING" before the first one). */
    public String state() {
        ConnectionState s = lastState;
        if (s == null) {
            return connected() ? "CONNECTED" : "CONNECTING";
        }
        return s.name();
    }

    /** Fails fast unless connected. */
    public void checkConnected() throws ZooKeeperUnavailableException {
        if (!connected()) {
            throw new ZooKeeperUnavailableException("ZooKeeper at " + connectString + " is not reachable (connection "
                    + state() + "); the control server reconnects by itself, retry later");
        }
    }

    /**
     * Runs {@code op} if connected, waiting at most the operation timeout. The exceptions of
     * {@code op} come through as they are, except ZooKeeper connection failures, which become
     * {@link ZooKeeperUnavailableException}.
     */
    public <T> T call(ZkCall<T> op) throws Exception {
        checkConnected();
        Future<T> f;
        try {
            f = pool.submit(op::call);
        } catch (RejectedExecutionException e) {
            throw new ZooKeeperUnavailableException("too many ZooKeeper calls in flight at " + connectString + "; retry later", e);
        }
        try {
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new ZooKeeperUnavailableException("ZooKeeper at " + connectString + " did not answer within " + timeoutMillis
                    + " ms; a write may or may not have been applied: read it back to check", e);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new ZooKeeperUnavailableException("interrupted while waiting for ZooKeeper", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (isConnectionFailure(cause)) {
                throw new ZooKeeperUnavailableException("ZooKeeper at " + connectString + " failed the call ("
                        + cause.getClass().getSimpleName() + "); retry later", cause);
            }
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            throw (Error) cause;
        }
    }

    private static boolean isConnectionFailure(Throwable t) {
        return t instanceof KeeperException.ConnectionLossException
                || t instanceof KeeperException.SessionExpiredException
                || t instanceof KeeperException.OperationTimeoutException
                || t instanceof KeeperException.SessionMovedException
                || t instanceof InterruptedException;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
