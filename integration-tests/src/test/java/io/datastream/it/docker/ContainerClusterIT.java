package io.datastream.it.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.protocol.ProtocolVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.GenericContainer;

/**
 * The cluster on containers (see {@link DockerCluster}), one task per scenario, the scenarios in
 * order on one cluster (a 2-core machine runs them one after the other). Every scenario ends with
 * {@link #reconcile}: the sink's committed output holds every written line exactly once, and each
 * tier's counts agree (lines written = agent lines acknowledged = distinct lines in Kafka = lines
 * in the output). Skipped without Docker, failed instead when {@code DS_DOCKER_REQUIRED=1}.
 */
@ExtendWith(DockerRequirement.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerClusterIT {
    private static final Duration DELIVERY = Duration.ofMinutes(3);
    private static final Duration RECOVERY = Duration.ofSeconds(90);

    private static Path root;
    private static DockerCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        DockerRequirement.check();
        Path logDir = Path.of("target", "docker-logs").toAbsolutePath();
        List<String> built = LocalImages.ensure(logDir);
        if (!built.isEmpty()) {
            System.out.println("[docker] built images " + built);
        }
        root = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "ds-docker-");
        long t0 = System.nanoTime();
        cluster = DockerCluster.start(root, logDir);
        System.out.printf("[docker] cluster of %d containers up in %d s (container logs in %s)%n",
                4 + DockerCluster.ROUTERS + DockerCluster.AGENTS, (System.nanoTime() - t0) / 1_000_000_000L, logDir);
    }

    @AfterAll
    static void stopCluster() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        if (root != null && Files.exists(root)) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void threeAgentsWritingAndRotating() throws Exception {
        long routerRecordsBefore = routerRecordsOut();
        Traffic t = new Traffic(cluster, "s1", 40, 1_500);
        t.start();
        awaitEveryAgentAcks(t, 4_000);
        t.stop();
        KafkaTally kafka = reconcile(t, Set.of());
        assertThat(t.rotations()).as("rotations").isGreaterThanOrEqualTo(DockerCluster.AGENTS);
        // no fault: every batch went to Kafka once, through one of the two routers
        assertThat(routerRecordsOut() - routerRecordsBefore).as("routers' Kafka records out = records in ds-s1")
                .isEqualTo(kafka.records());
        assertThat(kafka.resentLines()).as("re-sent lines without a fault").isZero();
    }

    @Test
    @Order(2)
    void routerKilledPausedAndPartitioned() throws Exception {
        Traffic t = new Traffic(cluster, "s2", 30, 2_000);
        t.start();
        awaitEveryAgentAcks(t, 1);

        GenericContainer<?> router1 = cluster.router(1);
        GenericContainer<?> router2 = cluster.router(2);
        cluster.kill(router1);
        awaitEveryAgentProgresses(t);
        cluster.startAgain(router1);
        awaitRouterHealthy(1);

        cluster.pause(router2);
        awaitEveryAgentProgresses(t);
        cluster.unpause(router2);
        awaitRouterHealthy(2);

        cluster.disconnect(router1);
        awaitEveryAgentProgresses(t);
        cluster.reconnect(router1, DockerCluster.routerName(0));
        awaitRouterHealthy(1);
        awaitEveryAgentProgresses(t);

        t.stop();
        reconcile(t, Set.of());
    }

    @Test
    @Order(3)
    void agentKilledAndStartedAgain() throws Exception {
        Traffic t = new Traffic(cluster, DockerCluster.RESTART_TASK, 30, 1_000);
        t.start();
        awaitEveryAgentAcks(t, 1);
        GenericContainer<?> agent2 = cluster.agent(2);
        cluster.kill(agent2);
        // the other agents go on while agent-2 is down and its files keep growing and rotating
        awaitAgentsProgress(t, List.of(1, 3));
        int rotationsBefore = t.stream(2).rotations();
        await().atMost(RECOVERY).until(() -> t.stream(2).rotations() > rotationsBefore);
        cluster.startAgain(agent2);
        await().atMost(RECOVERY).ignoreExceptions().until(() -> cluster.agentMetrics(2) != null);
        awaitEveryAgentProgresses(t);
        t.stop();
        reconcile(t, Set.of(2));
    }

    @Test
    @Order(4)
    void kafkaPausedUntilBackPressureReachesTheAgents() throws Exception {
        // one rotation in the middle of the burst, while the agents are held back: the renamed file
        // (already open) and the new one must both be read once Kafka is back. (A file created and
        // renamed out of the glob within milliseconds, before the agent ever saw it, cannot be read.)
        Traffic t = new Traffic(cluster, "s4", 30, 50_000);
        t.start();
        awaitEveryAgentAcks(t, 1);
        t.stop();
        cluster.pause(cluster.kafka());
        try {
            // far more than an agent's send window (8 batches of at most 256 KiB): the rest must wait on disk
            t.burst(80_000);
            await().atMost(RECOVERY).ignoreExceptions().pollInterval(Duration.ofMillis(500)).until(() -> {
                for (int i = 1; i <= DockerCluster.AGENTS; i++) {
                    Metrics m = cluster.agentMetrics(i);
                    long window = m.count("ds_agent_inflight_batches", "") + m.count("ds_agent_queued_batches", "");
                    if (window < DockerCluster.AGENT_WINDOW_BATCHES) {
                        return false;
                    }
                }
                return true;
            });
            long poolUsed = 0;
            for (int r = 1; r <= DockerCluster.ROUTERS; r++) {
                poolUsed += cluster.routerMetrics(r).count("ds_router_pool_used_bytes", "");
            }
            assertThat(poolUsed).as("router pool bytes held for Kafka while it is paused").isPositive();
            for (int i = 1; i <= DockerCluster.AGENTS; i++) {
                Metrics m = cluster.agentMetrics(i);
                long read = m.count("ds_agent_read_bytes_total", label(t));
                long written = t.stream(i).bytesWritten();
                System.out.printf("[docker] s4 Kafka paused: %s read %d of %d bytes written, backlog %d bytes%n",
                        DockerCluster.agentId(i), read, written, m.count("ds_agent_backlog_bytes", label(t)));
                assertThat(read).as(DockerCluster.agentId(i) + " stopped reading: the data waits in the file")
                        .isLessThan(written - 2L * DockerCluster.AGENT_WINDOW_BATCHES * DockerCluster.AGENT_BATCH_BYTES);
            }
        } finally {
            cluster.unpause(cluster.kafka());
        }
        reconcile(t, Set.of());
    }

    @Test
    @Order(5)
    void rollingUpgradeOfTheRouters() throws Exception {
        // ds-protocol has one version so far: the upgrade replaces each router with the same image,
        // and the handshake negotiates that one version (a second version would be negotiated the same way)
        assertThat(ProtocolVersion.MIN_SUPPORTED).isEqualTo(ProtocolVersion.MAX_SUPPORTED);
        Traffic t = new Traffic(cluster, "s5", 30, 2_000);
        t.start();
        awaitEveryAgentAcks(t, 1);
        for (int r = 1; r <= DockerCluster.ROUTERS; r++) {
            cluster.replaceRouter(r);
            awaitEveryAgentProgresses(t);
        }
        t.stop();
        reconcile(t, Set.of());
        long accepted = 0;
        for (int r = 1; r <= DockerCluster.ROUTERS; r++) {
            accepted += cluster.routerMetrics(r).count("ds_router_connections_accepted_total", "");
        }
        assertThat(accepted).as("agent connections accepted by the replaced routers").isGreaterThanOrEqualTo(DockerCluster.AGENTS);
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * Waits for the sink to commit everything written, then checks the output and each tier.
     * Agents in {@code restarted} had their counters reset by a restart: their acknowledged lines
     * are only bounded, not equal.
     */
    private static KafkaTally reconcile(Traffic t, Set<Integer> restarted) {
        List<String> written = t.allLines();
        Set<String> expected = new HashSet<>(written);
        assertThat(expected).as("the writer's lines are unique").hasSize(written.size());
        Path out = cluster.outputDir(t.task);
        try {
            await().atMost(DELIVERY).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                    .until(() -> SinkOutput.lineCounts(out).keySet().containsAll(expected));
        } catch (ConditionTimeoutException e) {
            // fall through: the assertions below say what is missing
        }

        // agents: every line read and acknowledged, nothing dropped
        long acked = 0;
        for (int i = 1; i <= DockerCluster.AGENTS; i++) {
            int agent = i;
            long mine = t.stream(i).written().size();
            if (restarted.contains(i)) {
                Metrics m = cluster.agentMetrics(i);
                long ackedSinceRestart = m.count("ds_agent_lines_acked_total", label(t));
                assertThat(ackedSinceRestart).as(DockerCluster.agentId(i) + " acked since its restart").isBetween(1L, mine);
                acked += ackedSinceRestart;
            } else {
                try {
                    await().atMost(RECOVERY).ignoreExceptions()
                            .until(() -> cluster.agentMetrics(agent).count("ds_agent_lines_acked_total", label(t)) >= mine);
                } catch (ConditionTimeoutException e) {
                    // fall through: the assertions below give the numbers
                }
                Metrics m = cluster.agentMetrics(i);
                assertThat(m.count("ds_agent_lines_read_total", label(t))).as(DockerCluster.agentId(i) + " lines read").isEqualTo(mine);
                assertThat(m.count("ds_agent_lines_acked_total", label(t))).as(DockerCluster.agentId(i) + " lines acked").isEqualTo(mine);
                acked += mine;
            }
            assertThat(cluster.agentMetrics(i).count("ds_agent_dropped_lines_total", label(t)))
                    .as(DockerCluster.agentId(i) + " dropped lines").isZero();
        }

        // Kafka: every line there at least once, re-sends carry the same identity
        KafkaTally kafka = KafkaTally.read(cluster.kafkaBootstrap(), "ds-" + t.task);
        assertThat(kafka.corrupt()).as("corrupt records in ds-" + t.task).isZero();
        assertThat(kafka.distinct()).as("distinct lines in ds-" + t.task).isEqualTo(expected.size());

        // the sink: every line exactly once
        Map<String, Integer> counts = SinkOutput.lineCounts(out);
        List<String> missing = new ArrayList<>();
        for (String line : expected) {
            if (!counts.containsKey(line)) {
                missing.add(line);
            }
        }
        List<String> duplicated = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        counts.forEach((line, n) -> {
            if (!expected.contains(line)) {
                unexpected.add(line);
            } else if (n > 1) {
                duplicated.add(n + "x " + line);
            }
        });
        System.out.printf("[docker] %s: written %d lines (%d rotations) | agents acked %d%s | Kafka %d records, %d lines,"
                        + " %d distinct, %d re-sent | sink %d lines in %d files%n",
                t.task, written.size(), t.rotations(), acked, restarted.isEmpty() ? "" : " (since restarts for " + restarted + ")",
                kafka.records(), kafka.lines(), kafka.distinct(), kafka.resentLines(), SinkOutput.total(counts),
                SinkOutput.finishedFiles(out).size());
        assertThat(missing).as("lines missing from the output of " + t.task).hasSize(0);
        assertThat(duplicated).as("lines written more than once").isEmpty();
        assertThat(unexpected).as("lines in the output that were never written").isEmpty();
        assertThat(SinkOutput.total(counts)).isEqualTo(written.size());
        return kafka;
    }

    private static String label(Traffic t) {
        return "task=\"" + t.task + "\"";
    }

    private static long acked(int agent, Traffic t) {
        return cluster.agentMetrics(agent).count("ds_agent_lines_acked_total", label(t));
    }

    private static void awaitEveryAgentAcks(Traffic t, long lines) {
        await().atMost(RECOVERY).ignoreExceptions().pollInterval(Duration.ofMillis(500)).until(() -> {
            for (int i = 1; i <= DockerCluster.AGENTS; i++) {
                if (acked(i, t) < lines) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Every agent gets new lines acknowledged after this moment (so each one recovered from the fault). */
    private static void awaitEveryAgentProgresses(Traffic t) {
        awaitAgentsProgress(t, List.of(1, 2, 3));
    }

    private static void awaitAgentsProgress(Traffic t, List<Integer> agents) {
        long[] before = new long[DockerCluster.AGENTS + 1];
        for (int i : agents) {
            int agent = i;
            await().atMost(RECOVERY).ignoreExceptions().until(() -> {
                before[agent] = acked(agent, t);
                return true;
            });
        }
        await().atMost(RECOVERY).ignoreExceptions().pollInterval(Duration.ofMillis(500)).until(() -> {
            for (int i : agents) {
                if (acked(i, t) <= before[i]) {
                    return false;
                }
            }
            return true;
        });
    }

    private static void awaitRouterHealthy(int r) {
        await().atMost(RECOVERY).ignoreExceptions().pollInterval(Duration.ofMillis(500))
                .until(() -> Metrics.status(cluster.hostPort(cluster.router(r), 7101), "/health") == 200);
    }

    private static long routerRecordsOut() {
        long n = 0;
        for (int r = 1; r <= DockerCluster.ROUTERS; r++) {
            n += cluster.routerMetrics(r).count("ds_router_kafka_records_out_total", "");
        }
        return n;
    }
}
