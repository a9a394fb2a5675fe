package io.datastream.agent.testing;

import io.datastream.router.Router;
import io.datastream.router.RouterConfig;
import io.datastream.embedded.kafka.EmbeddedKafka;
import io.datastream.testkit.net.FreePorts;
import java.util.ArrayList;
import java.util.List;

/** A Kafka broker and routers on loopback for agent integration tests. */
public final class TestCluster implements AutoCloseable {
    private final EmbeddedKafka kafka;
    private final List<Router> routers = new ArrayList<>();

    public TestCluster() {
        kafka = EmbeddedKafka.builder().defaultPartitions(2).build().start();
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public String bootstrap() {
        return kafka.bootstrapServers();
    }

    /** Starts a router on {@code port} (0 = free) with extra YAML. */
    public Router router(String id, int port, String extraYaml) {
        Router r = Router.start(RouterConfig.fromYaml("id: " + id + "\n"
                + "listen: {host: 127.0.0.1, port: " + port + "}\n"
                + "http: {port: 0}\n"
                + "kafka: {bootstrapServers: \"" + bootstrap() + "\"}\n"
                + extraYaml));
        routers.add(r);
        return r;
    }

    public Router router(String id) {
        return router(id, 0, "");
    }

    public static int freePort() {
        return FreePorts.next();
    }

    public KafkaLines lines(String topic) {
        return new KafkaLines(bootstrap(), topic);
    }

    @Override
    public void close() {
        for (Router r : routers) {
            try {
                r.halt();
            } catch (RuntimeException e) {
                // already stopped
            }
        }
        kafka.close();
    }
}
