package io.datastream.deploy.doctor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** The checks of {@code ds doctor}, each bounded by {@code timeout}; none changes anything. */
final class Checks {
    /** Clock skew above which the check fails: checkpoints, lag and latency would lie. */
    static final Duration MAX_SKEW = Duration.ofSeconds(2);

    private final Duration timeout;
    private final LongSupplier clockMillis;

    Checks(Duration timeout, LongSupplier clockMillis) {
        this.timeout = timeout;
        this.clockMillis = clockMillis;
    }

    static Check java() {
        int feature = Runtime.version().feature();
        String found = "Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")";
        return feature >= 17 ? Check.ok("java", found) : Check.fail("java", found + " is older than 17: install a JDK 17+ or set JAVA_HOME");
    }

    /** ZooKeeper answers its {@code ruok} command (or at least accepts a connection). */
    Check zookeeper(String hostPort) {
        String name = "zookeeper " + hostPort;
        long start = System.nanoTime();
        try (Socket s = connect(hostPort)) {
            s.setSoTimeout((int) timeout.toMillis());
            s.getOutputStream().write("ruok".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            String how = answer.equals("imok") ? "answers imok" : "accepts connections";
            return Check.ok(name, how + " (" + millis(start) + " ms)");
        } catch (IOException e) {
            return Check.fail(name, "not reachable (" + e.getMessage() + "): start ZooKeeper or fix the address (--zookeeper)");
        }
    }

    /** The Kafka cluster describes itself within the timeout. */
    Check kafka(String bootstrap) {
        String name = "kafka " + bootstrap;
        long start = System.nanoTime();
        int ms = (int) timeout.toMillis();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms,
                "socket.connection.setup.timeout.max.ms", (long) ms))) {
            int brokers = admin.describeCluster().nodes().get(ms, TimeUnit.MILLISECONDS).size();
            return Check.ok(name, brokers + " broker(s) (" + millis(start) + " ms)");
        } catch (ExecutionException | TimeoutException e) {
            return Check.fail(name, "no answer within " + timeout.toSeconds() + " s: start Kafka or fix the address (--kafka)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Check.fail(name, "interrupted");
        } catch (RuntimeException e) {
            return Check.fail(name, e.getMessage() + ": fix the address (--kafka)");
        }
    }

    /** A router (or HAProxy in front of routers) accepts TCP connections. */
    Check router(String hostPort) {
        String name = "router " + hostPort;
        long start = System.nanoTime();
        try (Socket s = connect(hostPort)) {
            return Check.ok(name, "accepts connections (" + millis(start) + " ms)");
        } catch (IOException e) {
            return Check.fail(name, "not reachable (" + e.getMessage() + "): start the router, or fix the address (--router)");
        }
    }

    /** The control server answers /health, and its clock agrees with this host's (HTTP Date). */
    Check control(String url) {
        String name = "control " + url;
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        try {
            long sent = clockMillis.getAsLong();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + "/health"))
                    .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
            long received = clockMillis.getAsLong();
            String date = r.headers().firstValue("Date").orElse(null);
            String skew = "";
            if (date != null) {
                long theirs = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
                // the Date header has whole seconds: compare with the middle of the exchange, allow that second
                long diff = theirs - (sent + received) / 2;
                if (Math.abs(diff) > MAX_SKEW.toMillis() + 1_000) {
                    return Check.fail(name, "its clock is " + diff / 1000 + " s " + (diff > 0 ? "ahead of" : "behind")
                            + " this host's: run NTP (chrony, systemd-timesyncd) on both");
                }
                skew = ", clock within " + (MAX_SKEW.toSeconds() + 1) + " s of this host's";
            }
            if (r.statusCode() != 200) {
                return Check.fail(name, "/health answered " + r.statusCode() + ": " + r.body().strip());
            }
            return Check.ok(name, "healthy" + skew);
        } catch (IOException | IllegalArgumentException e) {
            return Check.fail(name, "not reachable (" + e.getMessage() + "): start ds control or fix the URL (--control)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Check.fail(name, "interrupted");
        }
    }

    /** A directory an agent would read exists and is readable. */
    static Check readable(Path dir) {
        String name = "path " + dir;
        if (!Files.exists(dir)) {
            return Check.fail(name, "does not exist: create it or fix the task's paths");
        }
        if (!Files.isReadable(dir) || (Files.isDirectory(dir) && !Files.isExecutable(dir))) {
            return Check.fail(name, "not readable by this user: grant read access (e.g. the adm group for /var/log) or run as another user");
        }
        try {
            if (Files.isDirectory(dir)) {
                try (var list = Files.list(dir)) {
                    return Check.ok(name, "readable, " + list.count() + " entries");
                }
            }
            return Check.ok(name, "readable");
        } catch (IOException e) {
            return Check.fail(name, "cannot be listed (" + e.getMessage() + ")");
        }
    }

    /** Nothing listens on a port a component here would listen on. */
    static Check portFree(int port) {
        String name = "port " + port;
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
            return Check.ok(name, "free");
        } catch (IOException e) {
            return Check.fail(name, "in use by another program: stop it, or configure another port for the component that needs it");
        }
    }

    private Socket connect(String hostPort) throws IOException {
        int c = hostPort.lastIndexOf(':');
        if (c <= 0) {
            throw new IOException("not host:port");
        }
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(hostPort.substring(0, c), Integer.parseInt(hostPort.substring(c + 1))), (int) timeout.toMillis());
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e instanceof IOException io ? io : new IOException(e.getMessage());
        }
        return s;
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
