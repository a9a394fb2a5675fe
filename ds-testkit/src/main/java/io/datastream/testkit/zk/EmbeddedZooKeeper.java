package io.datastream.testkit.zk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * A real ZooKeeper server (Curator's {@link TestingServer}). Its data lives in {@code dataDir},
 * kept on {@link #close()} when the caller gave the directory (standalone mode resumes from it)
 * and deleted when the server made a temporary one.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
    private final TestingServer server;

    private EmbeddedZooKeeper(TestingServer server) {
        this.server = server;
    }

    /** Starts on a free port with a temporary data directory. */
    public static EmbeddedZooKeeper start() {
        try {
            return new EmbeddedZooKeeper(new TestingServer(true));
        } catch (Exception e) {
            throw new IllegalStateException("ZooKeeper did not start: " + e.getMessage(), e);
        }
    }

    /** Starts on {@code port} (0 = free port) with its data in {@code dataDir}, kept after close. */
    public static EmbeddedZooKeeper start(int port, Path dataDir) {
        InstanceSpec spec = new InstanceSpec(dataDir.toFile(), port, -1, -1, false, -1, 2000, 60);
        try {
            return new EmbeddedZooKeeper(new TestingServer(spec, true));
        } catch (Exception e) {
            throw new IllegalStateException("ZooKeeper did not start on port " + port + " in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** "localhost:port". */
    public String connectString() {
        return server.getConnectString();
    }

    public int port() {
        return server.getPort();
    }

    /** Stops the server, keeping its data, so {@link #restart()} brings it back with the same state. */
    public void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void restart() {
        try {
            server.restart();
        } catch (Exception e) {
            throw new IllegalStateException("ZooKeeper did not restart: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
