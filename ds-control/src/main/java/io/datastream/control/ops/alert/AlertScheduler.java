package io.datastream.control.ops.alert;

import io.datastream.control.inventory.MemberIndex;
import io.datastream.control.ops.audit.Auditor;
import io.datastream.control.ops.store.OpsStore;
import io.datastream.registry.member.AgentInfo;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts of one control server: the rules' repository, and one thread that evaluates them every
 * {@code alerts.evaluationIntervalMs} (by the injected clock's values; the interval itself is real
 * time). {@link #evaluateNow} runs a round on the same thread.
 */
public final class AlertScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertScheduler.class);

    private final AlertRepository repository;
    private final AlertEvaluator evaluator;
    private final Notifier notifier;
    private final ScheduledExecutorService thread;

    public AlertScheduler(OpsStore store, Auditor auditor, MemberIndex<AgentInfo> agents, Notifier notifier, Clock clock, long intervalMs) {
        this.repository = new AlertRepository(store);
        GoneAgents gone = new GoneAgents(agents);
        this.evaluator = new AlertEvaluator(repository, new Measure(store, auditor, agents, gone), gone, notifier, clock);
        this.notifier = notifier;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ds-control-alerts");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::round, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    public AlertRepository repository() {
        return repository;
    }

    public Notifier notifier() {
        return notifier;
    }

    /** Runs an evaluation round now, on the scheduler's thread; the future gives the transitions made. */
    public Future<Integer> evaluateNow() {
        return thread.submit(evaluator::evaluate);
    }

    private void round() {
        try {
            evaluator.evaluate();
        } catch (RuntimeException e) {
            LOG.warn("alert evaluation failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        notifier.close();
    }
}
