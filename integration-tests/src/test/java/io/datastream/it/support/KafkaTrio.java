package io.datastream.it.support;

import io.datastream.testkit.net.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A Kafka cluster of three KRaft nodes, each broker and controller, each its own JVM
 * ({@link KafkaNodeMain}) so that one can be killed with kill -9. Topics have three replicas and
 * {@code min.insync.replicas=2}: with {@code acks=all} a write is acknowledged once two nodes have
 * it, so any one node may die without losing an acknowledged record, and with two down nothing is
 * acknowledged. Ports and data directories stay the same across restarts.
 */
public final class KafkaTrio implements Brokers {
    /** Each node's settings; the process is started again with the same ones. */
    private record Node(int id, int port, DsProcess process) {
    }

    private final List<Node> nodes = new ArrayList<>();
    private final String bootstrap;

    private KafkaTrio(Path dir) {
        int[] ports = new int[3];
        int[] controllerPorts = new int[3];
        StringBuilder voters = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            ports[i] = FreePorts.next();
            controllerPorts[i] = FreePorts.next();
            voters.append(i == 0 ? "" : ",").append(i + 1).append("@localhost:").append(controllerPorts[i]);
        }
        String clusterId = Uuid.randomUuid().toString();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            int id = i + 1;
            DsProcess p = DsProcess.startMain("kafka-" + id, dir.resolve("console/kafka-" + id + ".log"), "384m",
                    KafkaNodeMain.class.getName(), List.of(String.valueOf(id), String.valueOf(ports[i]),
                            String.valueOf(controllerPorts[i]), voters.toString(), clusterId, dir.resolve("kafka-" + id).toString()));
            nodes.add(new Node(id, ports[i], p));
            b.append(i == 0 ? "" : ",").append("localhost:").append(ports[i]);
        }
        bootstrap = b.toString();
    }

    /** Starts the three nodes and returns once each serves requests. */
    public static KafkaTrio start(Path dir) {
        KafkaTrio trio = new KafkaTrio(dir);
        try {
            for (Node n : trio.nodes) {
                n.process().awaitConsole("kafka node " + n.id() + " ready", Duration.ofMinutes(3));
            }
        } catch (RuntimeException e) {
            trio.close();
            throw e;
        }
        return trio;
    }

    @Override
    public String bootstrapServers() {
        return bootstrap;
    }

    @Override
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    @Override
    public void createTopic(String name, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("topic " + name + " not created: " + e.getCause(), e);
            }
        }
    }

    /** The node id that leads {@code partition} of {@code topic}. */
    public int leaderOf(String topic, int partition) {
        try (Admin admin = admin()) {
            TopicPartitionInfo p = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().get(partition);
            if (p.leader() == null) {
                throw new IllegalStateException(topic + "-" + partition + " has no leader");
            }
            return p.leader().id();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("describing " + topic + ": " + e.getCause(), e);
        }
    }

    /** The in-sync replicas of {@code partition} of {@code topic}. */
    public int inSyncReplicas(String topic, int partition) {
        try (Admin admin = admin()) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().get(partition).isr().size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("describing " + topic + ": " + e.getCause(), e);
        }
    }

    /** kill -9 of node {@code id} (1 to 3). */
    public void kill(int id) {
        node(id).process().kill();
    }

    /** SIGTERM to node {@code id}: a controlled shutdown (its partitions' leadership moves first); waits until it exited. */
    public void shutDown(int id) {
        node(id).process().stop();
    }

    /** Starts node {@code id} again with its data and ports; returns once it serves requests. */
    public void restart(int id) {
        Node n = node(id);
        n.process().start();
        n.process().awaitConsole("kafka node " + id + " ready", Duration.ofMinutes(3));
    }

    private Node node(int id) {
        return nodes.get(id - 1);
    }

    /** The consoles of the nodes, for failure reports. */
    public List<DsProcess> processes() {
        return nodes.stream().map(Node::process).toList();
    }

    @Override
    public void stop() {
        for (Node n : nodes) {
            n.process().stop();
        }
    }

    @Override
    public void start() {
        for (Node n : nodes) {
            n.process().start();
        }
        for (Node n : nodes) {
            n.process().awaitConsole("kafka node " + n.id() + " ready", Duration.ofMinutes(3));
        }
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            n.process().close();
        }
    }
}
