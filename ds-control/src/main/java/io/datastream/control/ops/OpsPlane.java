package io.datastream.control.ops;

import io.datastream.control.ControlConfig;
import io.datastream.control.ops.audit.Auditor;
import io.datastream.control.ops.store.OpsStore;
import java.time.Clock;

/**
 * The operations plane of one control server: the counts store and the audit on it. Closing it
 * finishes the queued writes and closes the database.
 */
public final class OpsPlane implements AutoCloseable {
    private final OpsStore store;
    private final Auditor auditor;

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

    @Override
    public void close() {
        store.close();
    }
}
