package io.datastream.router.auth;

import java.util.Locale;

/** Why the router refused an agent connection or a batch for security reasons; the {@code reason} label of the refusal counter. */
public enum Refusal {
    /** A plaintext client on a TLS port. */
    PLAINTEXT,
    /** The TLS handshake failed (untrusted or missing client certificate, protocol mismatch). */
    TLS_HANDSHAKE,
    /** No credential matched: wrong, missing or unknown token, and no matching certificate. */
    CREDENTIAL,
    /** The HELLO's agent id or host is not one the credential may claim. */
    AGENT_ID,
    /** A batch claims another agent id than the connection's HELLO. */
    BATCH_AGENT_ID,
    /** A batch of a task the credential may not write. */
    TASK,
    /** A batch routed to a topic the credential may not write (internal topics included). */
    TOPIC,
    /**
     * {@code auth.onlyAssignedTasks}: a batch of a task that ZooKeeper does not assign to the
     * connection's host (or does not hold), or routed to another topic than its task's.
     */
    UNASSIGNED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
