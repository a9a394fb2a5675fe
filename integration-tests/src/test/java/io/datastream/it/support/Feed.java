package io.datastream.it.support;

import static org.awaitility.Awaitility.await;

import io.datastream.testkit.net.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What writes a sink's topics in the sink suites: one router and one agent as separate JVMs
 * ({@code ds router}, {@code ds agent}), the agent tailing {@code <dir>/logs/<task>/*.log*} of each
 * of its tasks into topic {@code ds-<task>} (two partitions) of the given Kafka broker, as users
 * run them. A suite gives each scenario its own task, so each reconciles its own lines. The
 * brokers are the caller's ({@link Brokers#single} or a {@link KafkaTrio}); closing the feed
 * leaves them running.
 */
public final class Feed implements AutoCloseable {
    private final List<String> tasks;
    private final Brokers kafka;
    private final Path dir;
    private final int agentHttp;
    private final DsProcess router;
    private final DsProcess agent;

    private Feed(Path dir, Brokers kafka, List<String> tasks) throws IOException {
        this.tasks = List.copyOf(tasks);
        this.kafka = kafka;
        this.dir = dir;
        StringBuilder taskYaml = new StringBuilder("tasks:\n");
        for (String task : tasks) {
            kafka.createTopic(topic(task), 2);
            taskYaml.append("  - id: ").append(task).append("\n    paths: [\"")
                    .append(Files.createDirectories(logs(task))).append("/*.log*\"]\n");
        }
        int routerPort = FreePorts.next();
        int routerHttp = FreePorts.next();
        router = DsProcess.start("router", dir.resolve("console/router.log"), "256m",
                List.of("router", "--config", write(dir, "router.yaml", "id: router-1\nadvertisedHost: 127.0.0.1\n"
                        + "listen: {host: 127.0.0.1, port: " + routerPort + ", workerThreads: 1}\n"
                        + "http: {host: 127.0.0.1, port: " + routerHttp + "}\n"
                        + "pool: {capacityBytes: 67108864}\n"
                        + "kafka:\n  bootstrapServers: \"" + kafka.bootstrapServers() + "\"\n").toString()));
        agentHttp = FreePorts.next();
        agent = DsProcess.start("agent", dir.resolve("console/agent.log"), "256m",
                List.of("agent", "--config", write(dir, "agent.yaml", "id: agent-1\n"
                        + "dataDir: \"" + dir.resolve("agent") + "\"\n"
                        + "http: {host: 127.0.0.1, port: " + agentHttp + "}\n"
                        + "routers: [\"127.0.0.1:" + routerPort + "\"]\n"
                        + "send: {backoffMaxMs: 2000, ackTimeoutMs: 30000}\n"
                        + "discovery: {intervalMs: 2000}\n"
                        + "paths: {allow: [\"" + dir.resolve("logs") + "\"]}\n"
                        + taskYaml).toString()));
        awaitUp(router, () -> Scrape.health(routerHttp) == 200);
        awaitUp(agent, () -> Scrape.value(agentHttp, "ds_agent_connected") == 1.0);
    }

    /** Creates the tasks' topics, starts the router and the agent, and waits until the agent is connected. */
    public static Feed start(Path dir, Brokers kafka, String... tasks) throws IOException {
        return new Feed(dir, kafka, List.of(tasks));
    }

    public static String topic(String task) {
        return "ds-" + task;
    }

    public List<String> tasks() {
        return tasks;
    }

    /** The directory the agent tails for {@code task}. */
    public Path logs(String task) {
        return dir.resolve("logs").resolve(task);
    }

    /** A counter of the agent for {@code task} ({@code ds_agent_lines_acked_total}, ...). */
    public long agentCount(String task, String metric) throws IOException {
        return (long) Scrape.value(agentHttp, metric, Map.of("task", task));
    }

    /** Waits until the agent has acknowledged {@code lines} lines of {@code task}. */
    public void awaitAcked(String task, long lines) {
        await("the agent acknowledges " + lines + " lines of " + task).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> agentCount(task, "ds_agent_lines_acked_total") >= lines);
    }

    /** The agent tier of a reconciliation of {@code task}: what it acknowledged and dropped (it ran throughout). */
    public Tiers tiers(String task, String scenario) throws IOException {
        return new Tiers(scenario).agent(agentCount(task, "ds_agent_lines_acked_total"),
                agentCount(task, "ds_agent_dropped_lines_total"), true);
    }

    /** Whether consumer group {@code group} has committed the end offset of both partitions of {@code task}'s topic. */
    public boolean caughtUp(String group, String task) throws Exception {
        return caughtUp(kafka, group, task);
    }

    /** The same for any Kafka cluster (also once the feed is closed). */
    public static boolean caughtUp(Brokers kafka, String group, String task) throws Exception {
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < 2; p++) {
                latest.put(new TopicPartition(topic(task), p), OffsetSpec.latest());
            }
            for (var e : admin.listOffsets(latest).all().get().entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                if (e.getValue().offset() > 0 && (c == null || c.offset() < e.getValue().offset())) {
                    return false;
                }
            }
            return true;
        }
    }

    private static void awaitUp(DsProcess p, Callable<Boolean> up) {
        await(p.name() + " up").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    if (!p.isAlive()) {
                        throw new IllegalStateException(p.name() + " exited:\n" + p.tail());
                    }
                    return up.call();
                });
    }

    private static Path write(Path dir, String name, String content) throws IOException {
        Path f = dir.resolve("conf").resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    /** Stops the agent, then the router. */
    @Override
    public void close() {
        agent.close();
        router.close();
    }

    @Override
    public String toString() {
        return "feed of " + tasks;
    }
}
