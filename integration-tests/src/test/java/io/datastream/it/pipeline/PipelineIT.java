package io.datastream.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.it.pipeline.Cluster.AgentNode;
import io.datastream.it.pipeline.Cluster.RouterNode;
import io.datastream.it.pipeline.Cluster.Task;
import io.datastream.it.support.LogFiles;
import io.datastream.it.support.Scrape;
import io.datastream.it.support.Tiers;
import io.datastream.testkit.kafka.TopicTally;
import io.datastream.testkit.output.CommittedOutput;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end suite over separate processes (see the package documentation for the layout).
 * Scenarios run one after another on one cluster, each with its own task, topic and output
 * directory; each ends with {@link Tiers#reconcile}: the committed output equals what was written,
 * every line exactly once, and the tiers' counts agree.
 */
class PipelineIT extends ClusterScenarios {
    private static final List<Task> PROXY_TASKS = List.of(Task.of("steady"), Task.of("agentcrash"), Task.of("routerkill"),
            Task.of("kafkaoutage"), Task.of("sinkcrash"));
    private static final List<Task> ZK_TASKS = List.of(Task.of("zkrouterkill"));

    @Override
    protected List<Task> proxyTasks() {
        return PROXY_TASKS;
    }

    @Override
    protected List<Task> zkTasks() {
        return ZK_TASKS;
    }

    @Test
    @Order(1)
    void steadyWritingAcross100FilesWithRenameAndCopytruncateRotations() throws Exception {
        String task = "steady";
        double routerRecordsBefore = routerRecordsOut();
        try (LogFiles logs = new LogFiles(cluster.logs(task), task, 100)) {
            // 24 rounds of 8 lines to each of the 100 files; every 8 rounds 10 files are rotated by
            // rename and 10 others by copytruncate while the agent is reading them
            logs.startWriting(250, 24, round -> {
                logs.appendAll(8);
                int group = round / 8;
                if (round % 8 == 3) {
                    for (int f = group * 10; f < group * 10 + 10; f++) {
                        logs.rotateByRename(f);
                    }
                } else if (round % 8 == 7) {
                    for (int f = 50 + group * 10; f < 60 + group * 10; f++) {
                        logs.rotateByCopyTruncate(f);
                    }
                }
            });
            logs.awaitRounds(Duration.ofMinutes(2));
            List<String> written = logs.written();
            assertThat(written).hasSize(24 * 8 * 100);

            AgentNode agent = cluster.proxyAgent;
            awaitAcked(agent, task, written.size());
            List<String> committed = awaitCommitted(task, written.size());
            TopicTally kafka = tally(task);
            double routerRecords = routerRecordsOut() - routerRecordsBefore;
            agentTier(task, agent, true)
                    .count("routers.recordsOut", (long) routerRecords)
                    .reconcile(written, kafka, committed, false);
            assertThat((long) routerRecords).as("records the routers had acknowledged by Kafka").isEqualTo(kafka.records());
            // and the product's audit (ds ctl audit steady) says the same, minute by minute
            assertAuditAgrees(task, kafka, written.size());
        }
    }

    @Test
    @Order(2)
    void agentKilledMidStreamAndRestarted() throws Exception {
        String task = "agentcrash";
        AgentNode agent = cluster.proxyAgent;
        try (LogFiles logs = new LogFiles(cluster.logs(task), task, 10)) {
            logs.startWriting(50, Integer.MAX_VALUE, round -> logs.append(round % 10, 20));
            awaitAcked(agent, task, 3_000);
            agent.process().kill();
            logs.awaitMoreWritten(3_000); // written while the agent is down
            agent.process().start();
            cluster.awaitAgentUp(agent);
            logs.awaitMoreWritten(3_000);
            logs.stopWriting();
            List<String> written = logs.written();

            List<String> committed = awaitCommitted(task, written.size());
            TopicTally kafka = tally(task);
            agentTier(task, agent, false)
                    .count("agent.rereadSinceRestart", agentCount(agent, "ds_agent_lines_reread_total", task))
                    .reconcile(written, kafka, committed, true);
            // the product's audit says the same, minute by minute, across the kill: every line read and
            // committed once in the minute it was first read in, Kafka's re-sent copies dropped by the sink
            assertAuditAgrees(task, kafka, written.size());
        }
    }

    @Test
    @Order(3)
    void routerBehindHaproxyKilledMidStream() throws Exception {
        routerKilledMidStream("routerkill", cluster.proxyAgent);
    }

    @Test
    @Order(4)
    void routerFoundInZooKeeperKilledMidStream() throws Exception {
        routerKilledMidStream("zkrouterkill", cluster.zkAgent);
    }

    /**
     * kill -9 of the router the agent sends to, while it sends; the agent reconnects (through
     * HAProxy, or to the other router listed in ZooKeeper) and re-sends what was not acknowledged;
     * then the router is started again.
     */
    private void routerKilledMidStream(String task, AgentNode agent) throws Exception {
        try (LogFiles logs = new LogFiles(cluster.logs(task), task, 10)) {
            logs.startWriting(50, Integer.MAX_VALUE, round -> logs.append(round % 10, 20));
            awaitAcked(agent, task, 3_000);
            RouterNode victim = routerReceiving();
            victim.process().kill();
            long ackedAtKill = agentCount(agent, "ds_agent_lines_acked_total", task);
            // the agent goes on through the other router
            awaitAcked(agent, task, ackedAtKill + 3_000);
            long reconnects = (long) Scrape.value(agent.httpPort(), "ds_agent_reconnects_total");
            victim.process().start();
            cluster.awaitRouterHealthy(victim);
            logs.awaitMoreWritten(1_000);
            logs.stopWriting();
            List<String> written = logs.written();

            awaitAcked(agent, task, written.size());
            List<String> committed = awaitCommitted(task, written.size());
            TopicTally kafka = tally(task);
            agentTier(task, agent, true)
                    .count("killed", victim.process().name())
                    .count("agent.reconnects", reconnects)
                    .reconcile(written, kafka, committed, true);
            assertThat(reconnects).as("the agent reconnected after the kill").isPositive();
        }
    }

    @Test
    @Order(5)
    void kafkaStoppedAndRestartedAgentsPauseThroughBackPressure() throws Exception {
        String task = "kafkaoutage";
        AgentNode agent = cluster.proxyAgent;
        List<String> hooks = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", ex -> {
            hooks.add(new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        try (LogFiles logs = new LogFiles(cluster.logs(task), task, 10)) {
            // an alert on this task's backlog, evaluated by control on the agent's own minute reports
            assertThat(cluster.post("/api/v1/alerts/rules", "{\"id\":\"kafkaoutage-backlog\",\"kind\":\"backlogBytes\","
                    + "\"threshold\":1000000,\"scope\":{\"task\":\"" + task + "\"},\"webhooks\":[\"http://127.0.0.1:"
                    + receiver.getAddress().getPort() + "/hook\"]}")).isEqualTo(201);
            logs.startWriting(50, Integer.MAX_VALUE, round -> logs.append(round % 10, 40));
            awaitAcked(agent, task, 3_000);
            cluster.kafka.stop();
            // nothing is acknowledged any more: the agent fills its send window, then stops reading
            // and leaves the rest in the files (no unbounded buffering, nothing dropped)
            logs.awaitMoreWritten(20_000);
            long readPaused = agentCount(agent, "ds_agent_lines_read_total", task);
            long ackedPaused = agentCount(agent, "ds_agent_lines_acked_total", task);
            logs.awaitMoreWritten(10_000);
            long readLater = agentCount(agent, "ds_agent_lines_read_total", task);
            long ackedDuringOutage = agentCount(agent, "ds_agent_lines_acked_total", task);
            long inflight = (long) Scrape.value(agent.httpPort(), "ds_agent_inflight_batches");
            // what waits in the files shows as backlog (sizes as of the last discovery scan, every 2 s here)
            await("backlog reports the bytes waiting in the files").atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> Scrape.value(agent.httpPort(), "ds_agent_backlog_bytes", Map.of("task", task)) > 3_000_000);
            long backlog = (long) Scrape.value(agent.httpPort(), "ds_agent_backlog_bytes", Map.of("task", task));
            await("the backlog alert fires and reaches the webhook").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                    .until(() -> hooks.stream().anyMatch(h -> h.contains("\"state\":\"firing\"")));
            cluster.kafka.start();
            logs.awaitMoreWritten(1_000);
            logs.stopWriting();
            List<String> written = logs.written();

            awaitAcked(agent, task, written.size());
            List<String> committed = awaitCommitted(task, written.size());
            TopicTally kafka = tally(task);
            agentTier(task, agent, true)
                    .count("agent.ackedWhilePaused", ackedPaused)
                    .count("agent.ackedWhileDown", ackedDuringOutage)
                    .count("agent.readWhileDown", readLater)
                    .count("agent.inflightWhileDown", inflight)
                    .count("agent.backlogWhileDown", backlog)
                    .reconcile(written, kafka, committed, true);
            assertThat(ackedDuringOutage).as("nothing is acknowledged while Kafka is down").isEqualTo(ackedPaused);
            assertThat(readLater).as("the agent stopped reading: back-pressure reached it").isEqualTo(readPaused);
            assertThat(readLater).as("lines it had read and could not deliver").isGreaterThan(ackedPaused);
            // once the backlog is acknowledged the alert resolves
            await("the backlog alert resolves").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                    .until(() -> hooks.stream().anyMatch(h -> h.contains("\"state\":\"resolved\"")));
            assertThat(hooks.get(0)).contains("\"rule\":\"kafkaoutage-backlog\"").contains("\"task\":\"" + task + "\"");
            // control's audit: every line read, acknowledged and committed once; Kafka has them all (and the re-sends)
            assertAuditAgrees(task, kafka, written.size());
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    @Order(6)
    void sinkKilledMidStreamAndRestartedFromItsCheckpoint() throws Exception {
        String task = "sinkcrash";
        AgentNode agent = cluster.proxyAgent;
        try (LogFiles logs = new LogFiles(cluster.logs(task), task, 10)) {
            logs.startWriting(50, Integer.MAX_VALUE, round -> logs.append(round % 10, 20));
            await("some output committed").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !CommittedOutput.lines(cluster.out(task)).isEmpty());
            cluster.sink.kill();
            List<String> beforeKill = CommittedOutput.lines(cluster.out(task));
            logs.awaitMoreWritten(3_000); // written while the sink is down: Kafka holds it
            cluster.sink.start();
            cluster.sink.awaitConsole("running", Duration.ofMinutes(2));
            logs.awaitMoreWritten(2_000);
            logs.stopWriting();
            List<String> written = logs.written();

            awaitAcked(agent, task, written.size());
            List<String> committed = awaitCommitted(task, written.size());
            assertThat(cluster.sink.console()).as("the restarted sink restored its checkpoint").contains("sink resuming from");
            assertThat(committed).as("what was committed before the kill stays, once").containsAll(beforeKill);
            agentTier(task, agent, true)
                    .count("committedBeforeKill", beforeKill.size())
                    .reconcile(written, tally(task), committed, false);
        }
    }

}
