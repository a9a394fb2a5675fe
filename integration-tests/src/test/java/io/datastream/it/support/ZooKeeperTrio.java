package io.datastream.it.support;

import static org.awaitility.Awaitility.await;

import io.datastream.testkit.net.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A ZooKeeper ensemble of three servers, each its own JVM running ZooKeeper's
 * {@code QuorumPeerMain} with a {@code zoo.cfg} (the jar Datastream ships, as
 * {@code zkServer.sh start} runs it), on loopback with free client, quorum and election ports.
 * A member can be killed (kill -9) and started again on the same ports and data directory.
 * {@link #mode(int)} asks a member for its role with the {@code srvr} four-letter command.
 */
public final class ZooKeeperTrio implements ZooKeepers {
    private static final String MAIN = "org.apache.zookeeper.server.quorum.QuorumPeerMain";

    private final List<DsProcess> servers = new ArrayList<>();
    private final int[] clientPorts = new int[3];

    private ZooKeeperTrio(Path dir) throws IOException {
        StringBuilder members = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            clientPorts[i] = FreePorts.next();
            members.append("server.").append(i + 1).append("=127.0.0.1:").append(FreePorts.next()).append(':')
                    .append(FreePorts.next()).append('\n');
        }
        for (int i = 0; i < 3; i++) {
            int id = i + 1;
            Path data = Files.createDirectories(dir.resolve("zk-" + id));
            Files.writeString(data.resolve("myid"), id + "\n", StandardCharsets.UTF_8);
            Path cfg = Files.writeString(dir.resolve("zk-" + id + ".cfg"), "# written by ZooKeeperTrio (integration-tests)\n"
                    + "tickTime=1000\ninitLimit=10\nsyncLimit=5\n"
                    + "dataDir=" + data + "\n"
                    + "clientPort=" + clientPorts[i] + "\nclientPortAddress=127.0.0.1\n"
                    + "maxClientCnxns=0\nadmin.enableServer=false\n"
                    + "4lw.commands.whitelist=srvr,ruok\n"
                    + members, StandardCharsets.UTF_8);
            servers.add(DsProcess.startMain("zk-" + id, dir.resolve("console/zk-" + id + ".log"), "128m", MAIN, List.of(cfg.toString())));
        }
    }

    /** Starts the three members and waits until one leads and two follow. */
    public static ZooKeeperTrio start(Path dir) {
        ZooKeeperTrio trio;
        try {
            trio = new ZooKeeperTrio(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            trio.awaitQuorum(3);
            return trio;
        } catch (RuntimeException e) {
            trio.close();
            throw e;
        }
    }

    @Override
    public String connectString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            sb.append(i == 0 ? "" : ",").append("127.0.0.1:").append(clientPorts[i]);
        }
        return sb.toString();
    }

    /** The member ({@code 1..3}) that leads the ensemble now. */
    public int leader() {
        for (int id = 1; id <= 3; id++) {
            if ("leader".equals(mode(id))) {
                return id;
            }
        }
        throw new IllegalStateException("no member leads the ensemble");
    }

    /**
     * The role of member {@code id} by its {@code srvr} answer: {@code leader}, {@code follower},
     * or {@code down} when it does not answer or serves no requests (no quorum).
     */
    public String mode(int id) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", clientPorts[id - 1]), 2000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            for (String line : answer.split("\n")) {
                if (line.startsWith("Mode: ")) {
                    return line.substring("Mode: ".length()).strip();
                }
            }
            return "down";
        } catch (IOException e) {
            return "down";
        }
    }

    /** Waits until {@code members} members serve (one leader, the others followers). */
    public void awaitQuorum(int members) {
        await(members + " ZooKeeper members serving").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() -> {
            int leaders = 0;
            int followers = 0;
            for (int id = 1; id <= 3; id++) {
                String m = mode(id);
                leaders += m.equals("leader") ? 1 : 0;
                followers += m.equals("follower") ? 1 : 0;
            }
            return leaders == 1 && leaders + followers == members;
        });
    }

    /** kill -9 of member {@code id}. */
    public void kill(int id) {
        servers.get(id - 1).kill();
    }

    /** Starts member {@code id} again (same configuration, ports and data). */
    public void restart(int id) {
        servers.get(id - 1).start();
    }

    public List<DsProcess> processes() {
        return List.copyOf(servers);
    }

    @Override
    public void close() {
        for (DsProcess p : servers) {
            p.close();
        }
    }

    @Override
    public String toString() {
        return "ZooKeeper ensemble " + connectString();
    }
}
