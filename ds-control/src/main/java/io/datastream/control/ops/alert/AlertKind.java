package io.datastream.control.ops.alert;

/** What a rule watches; the wire name is stored and never changes. */
public enum AlertKind {
    /** Bytes agents have not had acknowledged, summed over the agents in scope (latest minute reported in the last 5). */
    BACKLOG_BYTES("backlogBytes"),
    /** Age in ms of the oldest unacknowledged data, the largest over the agents in scope (latest minute in the last 5). */
    READ_LAG("readLag"),
    /** Errors reported by any tier for the tasks in scope over the last 5 minutes. */
    TASK_ERRORS("taskErrors"),
    /** Final audit windows of the last hour that are lost or duplicated, for the tasks in scope. */
    AUDIT_MISMATCH("auditMismatch"),
    /** Agents in scope seen in ZooKeeper that stopped publishing (node gone, or not updated for 60 s). */
    AGENTS_GONE("agentsGone"),
    /**
     * The sink's 99th percentile read-to-commit latency in ms of the lines read in the last 5 minutes
     * and committed, over the tasks in scope (across the agents' and the sink's clocks).
     */
    END_TO_END_LATENCY("endToEndLatency");

    private final String wireName;

    AlertKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static AlertKind ofWireName(String s) {
        for (AlertKind k : values()) {
            if (k.wireName.equals(s)) {
                return k;
            }
        }
        return null;
    }
}
