package io.datastream.agent.testing;

import io.datastream.router.Router;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link TestCluster} with one router, started before a test class and stopped after it:
 * {@code @RegisterExtension static final RouterAndKafka RUNNING = new RouterAndKafka("r1");}.
 */
public final class RouterAndKafka implements BeforeAllCallback, AfterAllCallback {
    private final String routerId;
    private TestCluster cluster;
    private Router router;

    public RouterAndKafka(String routerId) {
        this.routerId = routerId;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = new TestCluster();
        router = cluster.router(routerId);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
        }
    }

    public TestCluster cluster() {
        return cluster;
    }

    public Router router() {
        return router;
    }
}
