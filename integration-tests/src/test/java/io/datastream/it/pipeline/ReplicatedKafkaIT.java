package io.datastream.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.it.pipeline.Cluster.AgentNode;
import io.datastream.it.pipeline.Cluster.Task;
import io.datastream.it.support.Brokers;
import io.datastream.it.support.KafkaTrio;
import io.datastream.it.support.LogFiles;
import io.datastream.testkit.kafka.TopicTally;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The pipeline on a replicated Kafka cluster: three KRaft nodes, each its own JVM, topics with three
 * replicas and {@code min.insync.replicas=2}, the router's producer as shipped (idempotent,
 * {@code acks=all}). Agents, routers (behind HAProxy) and the sink are processes as in
 * {@link PipelineIT}. Each scenario ends with the tier reconciliation: every line exactly once.
 */
class ReplicatedKafkaIT extends ClusterScenarios {
    @Override
    protected List<Task> proxyTasks() {
        return List.of(Task.of("leaderkill"), Task.of("leaderstop"), Task.of("twodown"));
    }

    @Override
    protected List<Task> zkTasks() {
        return List.of(Task.of("idle"));
    }

    @Override
    protected Function<Path, Brokers> brokers() {
        return KafkaTrio::start;
    }

    private KafkaTrio trio() {
        return (KafkaTrio) cluster.kafka;
    }

    /** kill -9 of the node leading a partition while lines flow: the other two take over, nothing acknowledged is lost. */
    @Test
    @Order(1)
    void partitionLeaderKilledMidStream() throws Exception {
        String task = "leaderkill";
        AgentNode agent = cluster.proxyAgent;
        try (LogFiles logs = new LogFiles(cluster.logs(task), task, 10)) {
            logs.startWriting(50, Integer.MAX_VALUE, round -> logs.append(round % 10, 20));
            awaitAcked(agent, task, 3_000);
            int leader = trio().leaderOf("ds-" + task, 0);
            trio().kill(leader);
            long ackedAtKill = agentCount(agent, "ds_agent_lines_acked_total", task);
            // acknowledgements go on with one node down: two in-sync replicas are enough
            awaitAcked(agent, task, ackedAtKill + 3_000);
            int newLeader = trio().leaderOf("ds-" + task, 0);
            trio().restart(leader);
            logs.awaitMoreWritten(1_000);
            logs.stopWriting();
            List<String> written = logs.written();

            awaitAcked(agent, task, written.size());
            List<String> committed = awaitCommitted(task, written.size());
            TopicTally kafka = tally(task);
            agentTier(task, agent, true)
                    .count("kafka.killedLeader", leader)
                    .count("kafka.newLeader", newLeader)
                    .count("agent.ackedAtKill", ackedAtKill)
                    .reconcile(written, kafka, committed, true);
            assertThat(newLeader).as("another node leads the partition after the kill").isNotEqualTo(leader);
        }
    }

    /** A controlled shutdown (SIGTERM) of the node leading a partition while lines flow, and its restart. */
    @Test
    @Order(2)
    void partitionLeaderShutDownCleanlyMidStream() throws Exception {
        String task = "leaderstop";
        AgentNode agent = cluster.proxyAgent;
        try (LogFiles logs = new LogFiles(cluster.logs(task), task, 10)) {
            logs.startWriting(50, Integer.MAX_VALUE, round -> logs.append(round % 10, 20));
            awaitAcked(agent, task, 3_000);
            int leader = trio().leaderOf("ds-" + task, 0);
            trio().shutDown(leader);
            long ackedAtStop = agentCount(agent, "ds_agent_lines_acked_total", task);
            awaitAcked(agent, task, ackedAtStop + 3_000);
            int newLeader = trio().leaderOf("ds-" + task, 0);
            trio().restart(leader);
            logs.awaitMoreWritten(1_000);
            logs.stopWriting();
            List<String> written = logs.written();

            awaitAcked(agent, task, written.size());
            List<String> committed = awaitCommitted(task, written.size());
            agentTier(task, agent, true)
                    .count("kafka.stoppedLeader", leader)
                    .count("kafka.newLeader", newLeader)
                    .count("agent.ackedAtStop", ackedAtStop)
                    .reconcile(written, tally(task), committed, true);
            assertThat(newLeader).as("another node leads the partition after the shutdown").isNotEqualTo(leader);
        }
    }

    /**
     * Two of three nodes killed: fewer in-sync replicas than {@code min.insync.replicas} (and no
     * controller quorum), so nothing is acknowledged; the agent holds back and reads on once they
     * are back. Every line exactly once.
     */
    @Test
    @Order(3)
    void twoOfThreeNodesDownNothingAcknowledgedNothingLost() throws Exception {
        String task = "twodown";
        AgentNode agent = cluster.proxyAgent;
        try (LogFiles logs = new LogFiles(cluster.logs(task), task, 10)) {
            logs.startWriting(50, Integer.MAX_VALUE, round -> logs.append(round % 10, 20));
            awaitAcked(agent, task, 3_000);
            int leader = trio().leaderOf("ds-" + task, 0);
            int other = leader == 1 ? 2 : 1;
            trio().kill(leader);
            trio().kill(other);
            // what was in flight when they died is either acknowledged by now or will be sent again
            logs.awaitMoreWritten(5_000);
            long ackedWhileDown = agentCount(agent, "ds_agent_lines_acked_total", task);
            logs.awaitMoreWritten(5_000);
            long ackedLater = agentCount(agent, "ds_agent_lines_acked_total", task);
            trio().restart(leader);
            trio().restart(other);
            logs.awaitMoreWritten(1_000);
            logs.stopWriting();
            List<String> written = logs.written();

            awaitAcked(agent, task, written.size());
            List<String> committed = awaitCommitted(task, written.size());
            TopicTally kafka = tally(task);
            agentTier(task, agent, true)
                    .count("agent.ackedWhileDown", ackedWhileDown)
                    .count("agent.ackedLater", ackedLater)
                    .reconcile(written, kafka, committed, true);
            assertThat(ackedLater).as("nothing is acknowledged with one of three nodes up").isEqualTo(ackedWhileDown);
            await("all three replicas in sync again").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> trio().inSyncReplicas("ds-" + task, 0) == 3);
        }
    }
}
