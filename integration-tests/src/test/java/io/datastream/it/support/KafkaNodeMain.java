package io.datastream.it.support;

import io.datastream.embedded.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * One node (broker and controller) of a {@link KafkaTrio}, run as its own JVM so that a test can
 * kill -9 it: {@code KafkaNodeMain NODE_ID PORT CONTROLLER_PORT VOTERS CLUSTER_ID LOG_DIR}. Prints
 * {@code kafka node N ready} once the node serves requests; a SIGTERM stops it cleanly.
 */
public final class KafkaNodeMain {
    private KafkaNodeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 6) {
            System.err.println("usage: KafkaNodeMain NODE_ID PORT CONTROLLER_PORT VOTERS CLUSTER_ID LOG_DIR");
            System.exit(2);
        }
        int nodeId = Integer.parseInt(args[0]);
        EmbeddedKafka kafka = EmbeddedKafka.builder()
                .port(Integer.parseInt(args[1]))
                .controllerPort(Integer.parseInt(args[2]))
                .node(nodeId, args[3], args[4], 3)
                .logDir(Path.of(args[5]))
                .defaultPartitions(2)
                .autoCreateTopics(false)
                .property("default.replication.factor", "3")
                .property("min.insync.replicas", "2")
                // a restarted node rejoins the ISR quickly
                .property("replica.lag.time.max.ms", "10000")
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.stop();
            stopped.countDown();
        }, "kafka-node-stop"));
        kafka.start();
        System.out.println("kafka node " + nodeId + " ready on " + kafka.bootstrapServers());
        System.out.flush();
        stopped.await();
    }
}
