package io.datastream.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.it.pipeline.Cluster.AgentNode;
import io.datastream.it.pipeline.Cluster.Task;
import io.datastream.it.support.LogFiles;
import io.datastream.it.support.Scrape;
import io.datastream.it.support.ZooKeeperTrio;
import io.datastream.it.support.ZooKeepers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The pipeline on a ZooKeeper ensemble of three servers, each its own process
 * ({@link ZooKeeperTrio}): control keeps its tasks there, the routers register there, and the
 * agent {@code zkAgent} finds the routers and takes its tasks from there. The ensemble's leader is
 * killed with kill -9 while lines flow: the two others elect a new leader, the components' sessions
 * move to them, lines keep being acknowledged, and a task changed through control's REST API after
 * the kill reaches the agent (it reads the files the new glob adds). Every line exactly once.
 */
class ZooKeeperEnsembleIT extends ClusterScenarios {
    private static final String TASK = "zkens";

    @Override
    protected List<Task> proxyTasks() {
        return List.of(Task.of("proxyidle"));
    }

    @Override
    protected List<Task> zkTasks() {
        return List.of(Task.of("zkidle"));
    }

    @Override
    protected Function<Path, ZooKeepers> zooKeepers() {
        return ZooKeeperTrio::start;
    }

    private ZooKeeperTrio ensemble() {
        return (ZooKeeperTrio) cluster.zk;
    }

    @Test
    @Order(1)
    void leaderKilledDataFlowsAndATaskChangeStillReachesTheAgent() throws Exception {
        AgentNode agent = cluster.zkAgent;
        Path logs = cluster.logs(TASK);
        cluster.kafka.createTopic("ds-" + TASK, 2);
        assertThat(cluster.post("/api/v1/tasks", "{\"id\": \"" + TASK + "\", \"paths\": [\"" + logs + "/a-*.log*\"], \"topic\": \"ds-"
                + TASK + "\"}")).as("task created through control").isEqualTo(201);
        try (LogFiles a = new LogFiles(logs, "a", 5); LogFiles b = new LogFiles(logs, "b", 5)) {
            a.startWriting(50, Integer.MAX_VALUE, round -> a.append(round % 5, 20));
            awaitAcked(agent, TASK, 1_000);

            int leader = ensemble().leader();
            long killed = System.nanoTime();
            ensemble().kill(leader);
            ensemble().awaitQuorum(2);
            long electedMs = (System.nanoTime() - killed) / 1_000_000;
            int newLeader = ensemble().leader();
            long ackedAtKill = agentCount(agent, "ds_agent_lines_acked_total", TASK);
            awaitAcked(agent, TASK, ackedAtKill + 1_000);
            await("control healthy with two of three members").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250))
                    .until(() -> Scrape.health(cluster.control.port()) == 200);

            // the task gains a glob through control; the agent must pick the change up from the ensemble
            b.append(0, 20);
            assertThat(cluster.put("/api/v1/tasks/" + TASK, "{\"paths\": [\"" + logs + "/a-*.log*\", \"" + logs + "/b-*.log*\"],"
                    + " \"topic\": \"ds-" + TASK + "\"}")).as("task changed through control").isEqualTo(200);
            b.startWriting(50, Integer.MAX_VALUE, round -> b.append(round % 5, 20));
            b.awaitMoreWritten(1_000);
            ensemble().restart(leader);
            ensemble().awaitQuorum(3);
            a.awaitMoreWritten(500);
            a.stopWriting();
            b.stopWriting();
            List<String> written = new ArrayList<>(a.written());
            written.addAll(b.written());

            awaitAcked(agent, TASK, written.size());
            List<String> committed = awaitCommitted(TASK, written.size());
            System.out.printf("[zookeeper-ensemble] leader %d killed: %d ms until two members served again (new leader %d)%n",
                    leader, electedMs, newLeader);
            agentTier(TASK, agent, true)
                    .count("zk.killedLeader", leader)
                    .count("zk.newLeader", newLeader)
                    .count("agent.ackedAtKill", ackedAtKill)
                    .count("linesOfTheAddedGlob", b.written().size())
                    .reconcile(written, tally(TASK), committed, true);
            assertThat(newLeader).isNotEqualTo(leader);
        }
    }
}
