package io.datastream.it.pipeline;

import static org.awaitility.Awaitility.await;

import io.datastream.it.pipeline.Cluster.AgentNode;
import io.datastream.it.pipeline.Cluster.RouterNode;
import io.datastream.it.pipeline.Cluster.Task;
import io.datastream.it.support.Brokers;
import io.datastream.it.support.Scrape;
import io.datastream.it.support.Tiers;
import io.datastream.it.support.ZooKeepers;
import io.datastream.testkit.kafka.TopicTally;
import io.datastream.testkit.output.CommittedOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the end-to-end suites share: one {@link Cluster} per suite, started before its first
 * scenario with the suite's tasks, the consoles of every process printed when a scenario fails,
 * and the waits and counts each scenario ends with (acknowledged by the agent, committed by the
 * sink up to the topic's end, the Kafka tally, the agent tier of the reconciliation).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ClusterScenarios {
    protected static final String SINK_GROUP = "ds-flink-sink";

    protected Cluster cluster;

    /** A failed scenario prints the end of every process's console. */
    @RegisterExtension
    final TestWatcher consolesOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (cluster != null) {
                System.out.println("==== consoles of the cluster's processes ====\n" + cluster.consoles());
            }
        }
    };

    /** The local tasks of the agent behind HAProxy. */
    protected abstract List<Task> proxyTasks();

    /** The local tasks of the agent that finds routers in ZooKeeper. */
    protected abstract List<Task> zkTasks();

    /** The Kafka cluster the suite runs on, started in the suite's directory: one broker in the test JVM unless overridden. */
    protected Function<Path, Brokers> brokers() {
        return null;
    }

    /** The ZooKeeper the suite runs on, started in the suite's directory: one server in the test JVM unless overridden. */
    protected Function<Path, ZooKeepers> zooKeepers() {
        return null;
    }

    @BeforeAll
    void startCluster(@TempDir Path dir) throws IOException {
        cluster = Cluster.start(dir, proxyTasks(), zkTasks(), brokers(), zooKeepers());
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A reconciliation with the agent tier of {@code task} filled in from the agent's metrics. */
    protected Tiers agentTier(String task, AgentNode agent, boolean ranThroughout) throws IOException {
        return new Tiers(task).agent(agentCount(agent, "ds_agent_lines_acked_total", task),
                agentCount(agent, "ds_agent_dropped_lines_total", task), ranThroughout);
    }

    protected TopicTally tally(String task) {
        return TopicTally.read(cluster.kafka.bootstrapServers(), "ds-" + task, Duration.ofMinutes(1));
    }

    protected void awaitAcked(AgentNode agent, String task, long lines) {
        await(agent.process().name() + " acknowledges " + lines + " lines of " + task).atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> agentCount(agent, "ds_agent_lines_acked_total", task) >= lines);
    }

    /** The router whose received batches grow: the one the (single) writing agent sends to. */
    protected RouterNode routerReceiving() throws IOException {
        Map<RouterNode, Double> before = new HashMap<>();
        for (RouterNode r : cluster.routers()) {
            before.put(r, Scrape.value(r.httpPort(), "ds_router_batches_in_total"));
        }
        RouterNode[] found = new RouterNode[1];
        await("a router receiving batches").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    for (RouterNode r : cluster.routers()) {
                        if (Scrape.value(r.httpPort(), "ds_router_batches_in_total") > before.get(r) + 3) {
                            found[0] = r;
                            return true;
                        }
                    }
                    return false;
                });
        return found[0];
    }

    protected long agentCount(AgentNode agent, String metric, String task) throws IOException {
        return (long) Scrape.value(agent.httpPort(), metric, Map.of("task", task));
    }

    protected double routerRecordsOut() throws IOException {
        double sum = 0;
        for (RouterNode r : cluster.routers()) {
            sum += Scrape.value(r.httpPort(), "ds_router_kafka_records_out_total");
        }
        return sum;
    }

    /**
     * Waits until the sink has committed at least {@code expected} lines of the task and has
     * consumed its topic to the end (its committed group offsets, committed with each completed
     * checkpoint, equal the end offsets), so no later re-send can still change the output; returns
     * the committed lines.
     */
    /**
     * The product's own audit of {@code task} (control's, from the components' minute reports)
     * agrees with this test's reconciliation: in total agents read and had acknowledged
     * {@code lines} and the sink committed them, routers wrote to Kafka every line the test found
     * there (re-sends included) and the sink dropped exactly the re-sent copies; minute by minute,
     * acknowledged and committed equal read, Kafka's surplus over read is the sink's duplicates, and
     * Kafka's lines per minute are what the test counted in Kafka for that read minute. Also after
     * re-sends, and after an agent was killed and restarted.
     */
    protected void assertAuditAgrees(String task, TopicTally kafka, long lines) {
        java.util.concurrent.atomic.AtomicReference<Object> last = new java.util.concurrent.atomic.AtomicReference<>("no answer");
        try {
            await("control's audit of " + task).atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                        com.fasterxml.jackson.databind.JsonNode t = cluster.audit(task).path("total");
                        last.set(t);
                        return t.path("read").asLong() == lines && t.path("acked").asLong() == lines
                                && t.path("inKafka").asLong() == kafka.lines() && t.path("committed").asLong() == lines
                                && t.path("duplicatesDropped").asLong() == kafka.resentLines();
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("control's audit of " + task + " does not agree after 1 minute: expected read, acked and committed "
                    + lines + ", inKafka " + kafka.lines() + ", duplicatesDropped " + kafka.resentLines() + "; last audit total: " + last.get(), e);
        }
        com.fasterxml.jackson.databind.JsonNode audit;
        try {
            audit = cluster.audit(task);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        System.out.println("[audit] " + task + ": " + audit.path("total"));
        Map<Long, Long> audited = new java.util.TreeMap<>();
        for (com.fasterxml.jackson.databind.JsonNode w : audit.path("windows")) {
            long read = w.path("read").asLong();
            long inKafka = w.path("inKafka").asLong();
            org.assertj.core.api.Assertions.assertThat(List.of(w.path("acked").asLong(), w.path("committed").asLong()))
                    .as("audit of minute %s: acked, committed", w.path("minute")).containsOnly(read);
            org.assertj.core.api.Assertions.assertThat(inKafka - read)
                    .as("audit of minute %s: Kafka's lines beyond those read are the re-sent copies the sink dropped", w.path("minute"))
                    .isEqualTo(w.path("duplicatesDropped").asLong());
            org.assertj.core.api.Assertions.assertThat(w.path("status").asText()).as("audit of minute %s", w.path("minute"))
                    .isIn("in flight", "ok", "resent");
            if (inKafka > 0) {
                audited.put(w.path("minute").asLong(), inKafka);
            }
        }
        org.assertj.core.api.Assertions.assertThat(audited).as("lines in Kafka per read minute: the audit's and the test's Kafka tally")
                .isEqualTo(kafka.linesByReadMinute());
        org.assertj.core.api.Assertions.assertThat(audit.path("total").path("dropped").asLong()).as("lines dropped").isZero();
    }

    protected List<String> awaitCommitted(String task, int expected) {
        Path out = cluster.out(task);
        await("sink commits " + expected + " lines of " + task).atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> CommittedOutput.lines(out).size() >= expected && sinkCaughtUp("ds-" + task));
        return CommittedOutput.lines(out);
    }

    protected boolean sinkCaughtUp(String topic) throws InterruptedException, ExecutionException {
        try (Admin admin = cluster.kafka.admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(SINK_GROUP).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < 2; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e
                    : admin.listOffsets(latest).all().get().entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                long end = e.getValue().offset();
                if (end > 0 && (c == null || c.offset() < end)) {
                    return false;
                }
            }
            return true;
        }
    }

}
