package io.datastream.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.agent.Agent;
import io.datastream.agent.AgentConfig;
import io.datastream.agent.testing.KafkaLines;
import io.datastream.agent.testing.LogWriter;
import io.datastream.agent.testing.TestCluster;
import io.datastream.router.Router;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent through outages: its own restart, routers crashing, draining, all of them down. */
class OutageIT {
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static TestCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() {
        cluster = new TestCluster();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    private static String topic() {
        return "outage-" + TOPICS.incrementAndGet();
    }

    private Agent agent(String routers, String glob, String topic) {
        return Agent.start(AgentConfig.fromYaml(AgentYaml.base("out-agent", dir.resolve("data"), routers)
                + "tasks:\n" + AgentYaml.task("app", glob, topic)));
    }

    private static void awaitAll(KafkaLines k, List<String> expected) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(k.poll().ledger().missing(expected)).isEmpty());
    }

    @Test
    void rotationWhileTheAgentIsDown() throws Exception {
        Router router = cluster.router("down-r");
        String topic = topic();
        String routers = "\"127.0.0.1:" + router.port() + "\"";
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path log = logs.resolve("app.log");
        try (LogWriter w = new LogWriter(log, "down"); KafkaLines k = cluster.lines(topic)) {
            try (Agent agent = agent(routers, logs + "/app.log*", topic)) {
                awaitAll(k, w.write(1000));
                w.write(300); // maybe read, maybe not, when the agent stops
            }
            Files.move(log, logs.resolve("app.log.1"), StandardCopyOption.ATOMIC_MOVE);
            w.write(100); // to the rotated file
            w.reopen();
            w.write(500); // the new file
            try (Agent agent = agent(routers, logs + "/app.log*", topic)) {
                awaitAll(k, w.written());
                k.ledger().assertExactlyOnceAfterDedup(w.written());
            }
        }
    }

    @Test
    void rotationWhileEveryRouterIsDown() throws Exception {
        int port = TestCluster.freePort();
        Router router = cluster.router("all-down-1", port, "");
        String topic = topic();
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path log = logs.resolve("app.log");
        try (Agent agent = agent("\"127.0.0.1:" + port + "\"", logs + "/app.log*", topic);
             LogWriter w = new LogWriter(log, "nodown"); KafkaLines k = cluster.lines(topic)) {
            awaitAll(k, w.write(1000));
            router.halt();
            for (int r = 1; r <= 3; r++) {
                w.write(2000);
                Files.move(log, logs.resolve("app.log." + r), StandardCopyOption.ATOMIC_MOVE);
                w.write(20);
                w.reopen();
            }
            w.write(500);
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.status().tasks().get("app").backlogBytes() > 0);
            // the status is built from the shipper's report of the last checkpoint tick: it may lag the halt a little
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(agent.status().router()).isNull());
            cluster.router("all-down-2", port, "");
            awaitAll(k, w.written());
            k.ledger().assertExactlyOnceAfterDedup(w.written());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(agent.status().tasks().get("app").backlogBytes()).isZero());
        }
    }

    @Test
    void aCrashedRouterIsReplacedByAnotherAndNothingIsLost() throws Exception {
        Router a = cluster.router("fail-a");
        Router b = cluster.router("fail-b");
        String topic = topic();
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path log = logs.resolve("app.log");
        String routers = "\"127.0.0.1:" + a.port() + "\", \"127.0.0.1:" + b.port() + "\"";
        try (Agent agent = agent(routers, logs + "/app.log*", topic); LogWriter w = new LogWriter(log, "failover");
             KafkaLines k = cluster.lines(topic)) {
            awaitAll(k, w.write(500));
            String connected = await().atMost(Duration.ofSeconds(10)).until(() -> agent.status().router(), r -> r != null);
            Router victim = connected.endsWith(":" + a.port()) ? a : b;
            Router other = victim == a ? b : a;
            for (int i = 0; i < 20; i++) {
                w.write(500);
                if (i == 5) {
                    victim.halt();
                }
            }
            awaitAll(k, w.written());
            k.ledger().assertExactlyOnceAfterDedup(w.written());
            // the status is built from the shipper's report of the last checkpoint tick: it may lag the delivery a little
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(agent.status().router()).endsWith(":" + other.port());
                assertThat(agent.status().reconnects()).isGreaterThanOrEqualTo(1);
            });
        }
    }

    @Test
    void aDrainingRouterSendsTheAgentElsewhere() throws Exception {
        Router a = cluster.router("drain-a");
        Router b = cluster.router("drain-b");
        String topic = topic();
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path log = logs.resolve("app.log");
        String routers = "\"127.0.0.1:" + a.port() + "\", \"127.0.0.1:" + b.port() + "\"";
        try (Agent agent = agent(routers, logs + "/app.log*", topic); LogWriter w = new LogWriter(log, "drain");
             KafkaLines k = cluster.lines(topic)) {
            awaitAll(k, w.write(500));
            String connected = await().atMost(Duration.ofSeconds(10)).until(() -> agent.status().router(), r -> r != null);
            Router first = connected.endsWith(":" + a.port()) ? a : b;
            Router second = first == a ? b : a;
            List<String> more = new ArrayList<>(w.write(3000));
            first.close(); // graceful: GOAWAY(DRAIN), in-flight batches acknowledged
            more.addAll(w.write(1000));
            awaitAll(k, w.written());
            k.ledger().assertExactlyOnceAfterDedup(w.written());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(agent.status().router()).endsWith(":" + second.port()));
        }
    }
}
