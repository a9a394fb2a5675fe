package io.datastream.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A free TCP port on loopback, for servers that are told their port before they start (the
 * ports of processes a test launches, embedded brokers).
 *
 * <p>Ports come from below the kernel's ephemeral range
 * ({@code /proc/sys/net/ipv4/ip_local_port_range}, 32768-60999 by default): a port the kernel
 * hands out for "port 0" lies in that range, where every outgoing connection (a Kafka or
 * ZooKeeper client) also takes its local port, so such a port can be taken by a client's
 * connection between the moment it is chosen and the moment the server binds it. Below the range,
 * only another server choosing the same port at random can take it; one JVM never hands out the
 * same port twice.
 */
public final class Ports {
    private static final int LOWEST = 10_000;
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /** A port nothing listens on now; another process may still take it before it is used. */
    public static int free() {
        int below = ephemeralLow();
        if (below - LOWEST >= 1_000) {
            for (int attempt = 0; attempt < 200; attempt++) {
                int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
                if (!GIVEN.contains(port) && bindable(port) && GIVEN.add(port)) {
                    return port;
                }
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The lowest port of the kernel's ephemeral range. Read as a stream: {@code Files.readString}
     * trusts the size a procfs file reports (0) and returned "3" here, which made every port come
     * from the ephemeral range after all.
     */
    static int ephemeralLow() {
        try (java.io.InputStream in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            String[] range = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim().split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
