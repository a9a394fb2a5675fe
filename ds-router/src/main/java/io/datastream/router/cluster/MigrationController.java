package io.datastream.router.cluster;

import io.datastream.protocol.frame.GoAwayReason;
import io.datastream.router.credit.MemoryPool;
import io.datastream.router.server.Connection;
import io.datastream.router.server.Connections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the load every interval and, when {@link MigrationPolicy} says so, sends GOAWAY(MIGRATE)
 * to the busiest agents (most bytes finished so far), which are the ones whose leaving relieves
 * the pool most.
 */
public final class MigrationController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationController.class);

    private final MigrationPolicy policy;
    private final RouterRegistration registration;
    private final MemoryPool pool;
    private final Connections connections;
    private final ScheduledFuture<?> task;
    private final long cooldownNanos;
    private long lastMigration;
    private boolean migrated;

    public MigrationController(MigrationPolicy policy, RouterRegistration registration, MemoryPool pool, Connections connections,
                               ScheduledExecutorService scheduler, long intervalMillis) {
        this.policy = policy;
        this.registration = registration;
        this.pool = pool;
        this.connections = connections;
        this.cooldownNanos = TimeUnit.MILLISECONDS.toNanos(2 * intervalMillis);
        this.task = scheduler.scheduleWithFixedDelay(this::check, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Runs on the scheduler thread only. */
    void check() {
        long now = System.nanoTime();
        if (migrated && now - lastMigration < cooldownNanos) {
            return; // the agents sent away last time still hold pool memory until their batches are acknowledged
        }
        List<Connection> movable = connections.snapshot().stream().filter(Connection::isMigratable).toList();
        double load = pool.load();
        MigrationPolicy.Decision d = policy.decide(load, registration.others(), movable.size());
        if (d.count() == 0) {
            return;
        }
        migrated = true;
        lastMigration = now;
        LOG.info("pool use {}%: moving {} of {} agents to {}", Math.round(load * 100), d.count(), movable.size(), d.suggested());
        movable.stream()
                .sorted(Comparator.comparingLong(Connection::releasedBytes).reversed())
                .limit(d.count())
                .forEach(c -> c.goAway(GoAwayReason.MIGRATE, d.suggested(), "router overloaded (pool " + Math.round(load * 100) + "% used)"));
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
