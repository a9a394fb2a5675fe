package io.datastream.control.ops;

import io.datastream.control.ControlConfig;
import io.datastream.control.inventory.MemberIndex;
import io.datastream.control.ops.alert.AlertScheduler;
import io.datastream.control.ops.alert.Notifier;
import io.datastream.control.ops.audit.Auditor;
import io.datastream.control.ops.store.OpsStore;
import io.datastream.registry.member.AgentInfo;
import java.time.Clock;
import java.time.Duration;

/**
 * The operations plane of one control server: the counts store, the audit on it, and the alerts
 * (started once the live agents are watched). Closing it stops the alerts, finishes the queued
 * writes and closes the database.
 */
public final class OpsPlane implements AutoCloseable {
    private final OpsStore store;
    private final Auditor auditor;
    private volatile AlertScheduler alerts;

    private OpsPlane(OpsStore store, Auditor auditor) {
        this.store = store;
        this.auditor = auditor;
    }

    public static OpsPlane start(ControlConfig cfg, Clock clock) {
        OpsStore store = OpsStore.open(cfg.store().settings(), clock);
        return new OpsPlane(store, new Auditor(store, cfg.audit().finalityMs()));
    }

    public OpsStore store() {
        return store;
    }

    public Auditor auditor() {
        return auditor;
    }

    /** Starts evaluating the alert rules against the store and the live agents. */
    public AlertScheduler startAlerts(ControlConfig cfg, MemberIndex<AgentInfo> agents) {
        ControlConfig.Alerts a = cfg.alerts();
        Notifier notifier = new Notifier(Duration.ofMillis(a.webhookTimeoutMs()), a.webhookMaxAttempts(), a.webhookBackoffMs(),
                a.webhookQueueCapacity());
        alerts = new AlertScheduler(store, auditor, agents, notifier, store.clock(), a.evaluationIntervalMs());
        return alerts;
    }

    /** The alerts, once started. */
    public AlertScheduler alerts() {
        return alerts;
    }

    @Override
    public void close() {
        try {
            if (alerts != null) {
                alerts.close();
            }
        } finally {
            store.close();
        }
    }
}
