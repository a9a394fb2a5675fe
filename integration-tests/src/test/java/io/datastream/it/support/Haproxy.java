package io.datastream.it.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy from the host's Debian package ({@code apt-get install haproxy}) in front of routers
 * on loopback, configured as deploy/haproxy/haproxy.cfg recommends: TCP mode, least connections,
 * GET /health on each router's HTTP port, redispatch on a refused connection. The check interval
 * is shorter than in production (500 ms) so a killed router is marked down within about a second.
 */
public final class Haproxy implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/haproxy");

    private final Process process;
    private final int port;

    private Haproxy(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** A router behind the proxy: its ds port and its HTTP (health) port. */
    public record Backend(String name, int port, int httpPort) {
    }

    /** Starts HAProxy listening on 127.0.0.1:{@code port}; its configuration and log go to {@code dir}. */
    public static Haproxy start(Path dir, int port, List<Backend> backends) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install Debian's haproxy package (.ci/run does)");
        }
        StringBuilder cfg = new StringBuilder("""
                global
                    maxconn 1000
                defaults
                    mode tcp
                    timeout connect 2s
                    timeout client 60s
                    timeout server 60s
                    timeout check 1s
                    retries 3
                    option redispatch
                frontend ds_agents
                """);
        cfg.append("    bind 127.0.0.1:").append(port).append('\n');
        cfg.append("""
                    default_backend ds_routers
                backend ds_routers
                    balance leastconn
                    option httpchk GET /health
                    http-check expect status 200
                    default-server inter 500ms fall 2 rise 2
                """);
        for (Backend b : backends) {
            cfg.append("    server ").append(b.name()).append(" 127.0.0.1:").append(b.port())
                    .append(" check port ").append(b.httpPort()).append('\n');
        }
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("haproxy.cfg");
            Files.writeString(file, cfg, StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(BINARY.toString(), "-db", "-f", file.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
            Haproxy h = new Haproxy(p, port);
            await("haproxy listening on " + port).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!p.isAlive()) {
                            throw new IllegalStateException("haproxy exited: "
                                    + Files.readString(dir.resolve("haproxy.log")));
                        }
                        return listening(port);
                    });
            return h;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** The address agents are given. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
