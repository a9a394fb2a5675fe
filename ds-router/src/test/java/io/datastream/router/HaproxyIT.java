package io.datastream.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.envelope.EnvelopeDeserializer;
import io.datastream.protocol.envelope.LineIdentity;
import io.datastream.protocol.frame.AckStatus;
import io.datastream.router.sim.Http;
import io.datastream.router.sim.KafkaRead;
import io.datastream.router.sim.SimAgent;
import io.datastream.router.sim.SourceStream;
import io.datastream.embedded.kafka.EmbeddedKafka;
import io.datastream.embedded.logs.LogKind;
import io.datastream.testkit.net.FreePorts;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shipped deploy/haproxy/haproxy.cfg, run for real (Debian's haproxy package) in front of two
 * routers, with its bind and server lines replaced by this test's ports. One router is killed:
 * its agent reconnects through HAProxy to the other one and nothing is lost.
 */
class HaproxyIT {
    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    private static final Path SHIPPED = Path.of(System.getProperty("user.dir")).resolve("../deploy/haproxy/haproxy.cfg").normalize();
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void agentsSurviveARouterDeathBehindHaproxy() throws Exception {
        assertThat(Files.isExecutable(HAPROXY))
                .as("HAProxy is required for this test: install Debian's package with 'apt-get install -y haproxy' (%s is missing)", HAPROXY)
                .isTrue();
        assertThat(SHIPPED).as("the shipped HAProxy configuration").exists();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Set<LineIdentity> sent = new HashSet<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start();
             Router r1 = router("hap-1", kafka);
             Router r2 = router("hap-2", kafka)) {
            int front = FreePorts.next();
            int stats = FreePorts.next();
            Path cfg = Files.createTempFile("haproxy-", ".cfg");
            Files.writeString(cfg, configFor(Files.readString(SHIPPED), front, stats, List.of(r1, r2)));
            Path log = Files.createTempFile("haproxy-", ".log");
            Process haproxy = new ProcessBuilder(HAPROXY.toString(), "-db", "-f", cfg.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                await().atMost(WAIT).ignoreException(java.io.UncheckedIOException.class).until(() -> {
                    assertThat(haproxy.isAlive()).as("haproxy exited: %s", Files.readString(log)).isTrue();
                    return serverStatus(stats, "hap-1").startsWith("UP") && serverStatus(stats, "hap-2").startsWith("UP");
                });
                List<SimAgent> agents = new ArrayList<>();
                List<SourceStream> files = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    SimAgent a = new SimAgent(group, SimAgent.Options.of("hap-agent-" + i, front)).start();
                    agents.add(a);
                    files.add(new SourceStream(new BatchSource("hap", "hap-agent-" + i, "h", "/log/" + i, 500 + i, Map.of()), CodecType.ZSTD,
                            LogKind.WEB_ACCESS, 500 + i, 64 << 10));
                    // leastconn: the second agent goes to the router without one
                    int expected = i + 1;
                    await().atMost(WAIT).until(() -> r1.connectionCount() + r2.connectionCount() == expected);
                }
                assertThat(r1.connectionCount()).isEqualTo(1);
                assertThat(r2.connectionCount()).isEqualTo(1);
                for (int i = 0; i < 20; i++) {
                    submit(agents, files, sent);
                }
                await().atMost(WAIT).until(() -> agents.stream().allMatch(a -> a.acked() >= 5));

                r1.halt();
                await().atMost(WAIT).until(() -> serverStatus(stats, "hap-1").startsWith("DOWN"));
                for (int i = 0; i < 20; i++) {
                    submit(agents, files, sent);
                }
                for (SimAgent a : agents) {
                    await().atMost(WAIT).until(() -> a.pending() == 0);
                    assertThat(a.outcomes()).hasSize(40);
                    assertThat(a.outcomes().values()).allMatch(s -> s == AckStatus.OK);
                }
                // both agents are on the survivor now
                await().atMost(WAIT).until(() -> r2.connectionCount() == 2);
                agents.forEach(SimAgent::close);
                files.forEach(SourceStream::close);
            } finally {
                haproxy.destroy();
                if (!haproxy.waitFor(10, TimeUnit.SECONDS)) {
                    haproxy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                Files.deleteIfExists(cfg);
                Files.deleteIfExists(log);
            }
            var records = KafkaRead.records(kafka.bootstrapServers(), "ds-hap", new EnvelopeDeserializer(),
                    l -> KafkaRead.lineCounts(l).keySet().containsAll(sent), WAIT);
            assertThat(KafkaRead.lineCounts(records).keySet()).isEqualTo(sent);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static Router router(String id, EmbeddedKafka kafka) {
        return Router.start(RouterConfig.fromYaml("""
                id: %s
                listen: {host: 127.0.0.1, port: 0}
                http: {host: 127.0.0.1, port: 0}
                drain: {timeoutMs: 5000}
                kafka: {bootstrapServers: "%s", properties: {linger.ms: "5"}}
                """.formatted(id, kafka.bootstrapServers())));
    }

    /**
     * The shipped configuration with this test's ports: the bind lines in order (agents, stats),
     * the server lines replaced by the two routers, and faster checks.
     */
    static String configFor(String shipped, int front, int stats, List<Router> routers) {
        List<String> out = new ArrayList<>();
        int binds = 0;
        boolean serversWritten = false;
        for (String line : shipped.split("\n", -1)) {
            String t = line.trim();
            if (t.startsWith("maxconn ")) {
                out.add("    maxconn 1000"); // the test machine's file descriptor limit may be low
            } else if (t.startsWith("bind ")) {
                out.add("    bind 127.0.0.1:" + (binds++ == 0 ? front : stats));
            } else if (t.startsWith("default-server ")) {
                out.add("    default-server inter 300ms fall 2 rise 1");
            } else if (t.startsWith("server ")) {
                if (!serversWritten) {
                    for (Router r : routers) {
                        out.add("    server " + r.id() + " 127.0.0.1:" + r.port() + " check port " + r.httpPort());
                    }
                    serversWritten = true;
                }
            } else {
                out.add(line);
            }
        }
        assertThat(binds).as("bind lines in the shipped config").isEqualTo(2);
        assertThat(serversWritten).as("server lines in the shipped config").isTrue();
        return String.join("\n", out);
    }

    /** The server's status on HAProxy's statistics page (CSV), e.g. "UP" or "DOWN". */
    private static String serverStatus(int statsPort, String server) throws IOException {
        for (String row : Http.get(statsPort, "/;csv").body().split("\n")) {
            String[] f = row.split(",", -1);
            if (f.length > 17 && f[0].equals("ds_routers") && f[1].equals(server)) {
                return f[17];
            }
        }
        return "";
    }

    private static void submit(List<SimAgent> agents, List<SourceStream> files, Set<LineIdentity> sent) {
        for (int i = 0; i < agents.size(); i++) {
            SourceStream.Built b = files.get(i).nextFull();
            sent.addAll(b.lines());
            agents.get(i).submit(b.bytes());
        }
    }
}
