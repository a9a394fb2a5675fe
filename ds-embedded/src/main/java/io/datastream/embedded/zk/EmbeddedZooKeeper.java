package io.datastream.embedded.zk;

import io.datastream.embedded.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A real ZooKeeper server through ZooKeeper's own embedding API ({@link ZooKeeperServerEmbedded}),
 * listening on {@code host} (default 127.0.0.1) only. A failure to start is an exception, never
 * an exit of the JVM. Its data lives in {@code dataDir}, kept on {@link #close()} when the caller
 * gave the directory (standalone mode resumes from it) and deleted when the server made a
 * temporary one; {@link #stop()} and {@link #restart()} keep the data and the port.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
    public static final String LOOPBACK = "127.0.0.1";

    private final String host;
    private final int port;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private ZooKeeperServerEmbedded server;

    private EmbeddedZooKeeper(String host, int port, Path dataDir, boolean deleteOnClose) {
        this.host = host;
        this.port = port;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
    }

    /** Starts on a free loopback port with a temporary data directory. */
    public static EmbeddedZooKeeper start() {
        try {
            return new EmbeddedZooKeeper(LOOPBACK, Ports.free(), Files.createTempDirectory("ds-zk-"), true).startServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts on loopback {@code port} (0 = a free port) with its data in {@code dataDir}, kept after close. */
    public static EmbeddedZooKeeper start(int port, Path dataDir) {
        return start(LOOPBACK, port, dataDir);
    }

    /** Starts on {@code host:port} (0 = a free port) with its data in {@code dataDir}, kept after close. */
    public static EmbeddedZooKeeper start(String host, int port, Path dataDir) {
        return new EmbeddedZooKeeper(host, port == 0 ? Ports.free() : port, dataDir, false).startServer();
    }

    private synchronized EmbeddedZooKeeper startServer() {
        // the server would only log a failed bind and let start() time out: fail at once instead
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException("ZooKeeper did not start on " + host + ":" + port + ": the port is in use ("
                    + e.getMessage() + ")", e);
        }
        Properties p = new Properties();
        p.put("clientPort", String.valueOf(port));
        p.put("clientPortAddress", host);
        p.put("dataDir", dataDir.resolve("data").toString());
        p.put("tickTime", "2000");
        p.put("initLimit", "10");
        p.put("syncLimit", "5");
        p.put("maxClientCnxns", "0");
        p.put("admin.enableServer", "false");
        p.put("4lw.commands.whitelist", "ruok,srvr,stat");
        try {
            Files.createDirectories(dataDir);
            ZooKeeperServerEmbedded s = ZooKeeperServerEmbedded.builder().baseDir(dataDir).configuration(p)
                    .exitHandler(ExitHandler.LOG_ONLY).build();
            try {
                s.start(30_000);
            } catch (Exception e) {
                s.close();
                throw e;
            }
            server = s;
            return this;
        } catch (Exception e) {
            throw new IllegalStateException("ZooKeeper did not start on " + host + ":" + port + " in " + dataDir + ": "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
    }

    /** "host:port" for clients ({@code localhost} when listening on loopback or every address). */
    public String connectString() {
        return clientHost() + ":" + port;
    }

    private String clientHost() {
        return host.equals(LOOPBACK) || host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
    }

    public int port() {
        return port;
    }

    /** Stops the server, keeping its data, so {@link #restart()} brings it back with the same state. */
    public synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public synchronized void restart() {
        stop();
        startServer();
    }

    @Override
    public void close() {
        stop();
        if (deleteOnClose) {
            try (Stream<Path> walk = Files.walk(dataDir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
