package io.datastream.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A thread the agent cannot work without reports its death, so that {@code ds agent} exits instead of running on without it. */
class AgentCoreThreadTest {
    @Test
    void anErrorThatEndsACoreThreadCompletesTheAgentsDiedFuture() throws Exception {
        CompletableFuture<Throwable> died = new CompletableFuture<>();
        StackOverflowError error = new StackOverflowError("thrown by the test");
        Thread t = Agent.core(() -> {
            throw error;
        }, "ds-agent-test-core", died);
        assertThat(t.isDaemon()).isTrue();
        assertThat(died).isNotDone();
        t.start();
        assertThat(died.get(10, TimeUnit.SECONDS)).isSameAs(error);
    }

    @Test
    void aCoreThreadThatEndsNormallyDoesNotCompleteIt() throws Exception {
        CompletableFuture<Throwable> died = new CompletableFuture<>();
        Thread t = Agent.core(() -> { }, "ds-agent-test-core", died);
        t.start();
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(died).isNotDone();
    }
}
