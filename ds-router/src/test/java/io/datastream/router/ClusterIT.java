package io.datastream.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.protocol.ProtocolVersion;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.frame.GoAway;
import io.datastream.protocol.frame.GoAwayReason;
import io.datastream.registry.ZkClients;
import io.datastream.registry.ZkLayout;
import io.datastream.registry.member.MemberDirectory;
import io.datastream.registry.member.RouterInfo;
import io.datastream.router.sim.Http;
import io.datastream.router.sim.SimAgent;
import io.datastream.router.sim.SourceStream;
import io.datastream.embedded.logs.LogKind;
import io.datastream.testkit.net.FreePorts;
import io.datastream.embedded.zk.EmbeddedZooKeeper;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Routers in ZooKeeper: registration with load, deregistration on close, drain and migration suggestions. */
class ClusterIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static EmbeddedZooKeeper zk;
    private static CuratorFramework client;
    private static MemberDirectory<RouterInfo> directory;
    private static EventLoopGroup group;

    @BeforeAll
    static void start() {
        zk = EmbeddedZooKeeper.start();
        client = ZkClients.start(zk.connectString());
        directory = MemberDirectory.routers(client, new ZkLayout("/ds-it")).start();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        directory.close();
        client.close();
        zk.close();
    }

    private static Router router(String id, String extra) {
        return Router.start(RouterConfig.fromYaml("""
                id: %s
                advertisedHost: 127.0.0.1
                listen: {host: 127.0.0.1, port: 0}
                http: {host: 127.0.0.1, port: 0}
                drain: {timeoutMs: 500}
                zookeeper: {connect: "%s", root: /ds-it, refreshIntervalMs: 200}
                kafka:
                  bootstrapServers: "127.0.0.1:%d"
                  properties: {max.block.ms: "3000"}
                """.formatted(id, zk.connectString(), FreePorts.next()) + extra));
    }

    @Test
    void routersRegisterWithTheirLoadAndDeregisterOnClose() {
        Router a = router("reg-a", "");
        Router b = router("reg-b", "");
        try {
            await().atMost(WAIT).until(() -> directory.get("reg-a") != null && directory.get("reg-b") != null);
            RouterInfo info = directory.get("reg-a");
            assertThat(info.address()).isEqualTo("127.0.0.1:" + a.port());
            assertThat(info.httpPort()).isEqualTo(a.httpPort());
            assertThat(info.poolCapacityBytes()).isEqualTo(256L << 20);
            assertThat(info.protocolMin()).isEqualTo(ProtocolVersion.MIN_SUPPORTED);
            assertThat(info.protocolMax()).isEqualTo(ProtocolVersion.MAX_SUPPORTED);
            assertThat(info.version()).isNotBlank();
            assertThat(info.draining()).isFalse();

            SimAgent agent = new SimAgent(group, SimAgent.Options.of("reg-agent", a.port())).start();
            await().atMost(WAIT).until(() -> directory.get("reg-a").connections() == 1);

            a.close();
            // the agent was told to drain, pointed at the other router, and went there
            await().atMost(WAIT).until(() -> !agent.goAways().isEmpty());
            GoAway goAway = agent.goAways().get(0);
            assertThat(goAway.reason()).isEqualTo(GoAwayReason.DRAIN);
            assertThat(goAway.suggestedRouters()).containsExactly("127.0.0.1:" + b.port());
            await().atMost(WAIT).until(() -> agent.isConnected() && b.connectionCount() == 1);
            await().atMost(WAIT).until(() -> directory.get("reg-a") == null);
            assertThat(directory.get("reg-b")).isNotNull();
            agent.close();
        } finally {
            a.close();
            b.close();
        }
        await().atMost(WAIT).until(() -> directory.get("reg-b") == null);
    }

    @Test
    void anOverloadedRouterMovesAgentsToTheLeastLoaded() {
        String migration = """
                pool: {capacityBytes: 16777216}
                migration: {threshold: 0.5, minLoadGap: 0.2, share: 0.5, checkIntervalMs: 300, closeAfterMs: 200}
                """;
        Router busy = router("mig-busy", migration);
        Router idle = router("mig-idle", "");
        List<SimAgent> agents = new ArrayList<>();
        try {
            await().atMost(WAIT).until(() -> directory.get("mig-busy") != null && directory.get("mig-idle") != null);
            for (int i = 0; i < 4; i++) {
                SimAgent agent = new SimAgent(group, SimAgent.Options.of("mig-agent-" + i, busy.port())).start();
                agents.add(agent);
                try (SourceStream s = new SourceStream(new BatchSource("mig", "mig-agent-" + i, "h", "/log", i, Map.of()), CodecType.NONE,
                        LogKind.JAVA_APP, i, 512 << 10)) {
                    for (int k = 0; k < 10; k++) {
                        agent.submit(s.nextFull().bytes());
                    }
                }
            }
            // Kafka never answers: the pool fills, the router is overloaded while the other one is idle
            String idleAddress = "127.0.0.1:" + idle.port();
            await().atMost(WAIT).until(() -> agents.stream().anyMatch(a -> a.goAways().stream()
                    .anyMatch(g -> g.reason() == GoAwayReason.MIGRATE && g.suggestedRouters().equals(List.of(idleAddress)))));
            assertThat(Http.metric(busy.httpPort(), "ds_router_goaway_total{reason=\"MIGRATE\"}")).isGreaterThanOrEqualTo(1);
            // a migrated agent finishes with its in-flight batches (they come back RETRY_LATER) and moves
            await().atMost(WAIT).until(() -> idle.connectionCount() >= 1);
            SimAgent moved = agents.stream().filter(a -> !a.goAways().isEmpty()).findFirst().orElseThrow();
            await().atMost(WAIT).until(() -> moved.connections().stream().anyMatch(c -> c.endsWith(":" + idle.port())));
        } finally {
            agents.forEach(SimAgent::close);
            busy.close();
            idle.close();
        }
    }
}
