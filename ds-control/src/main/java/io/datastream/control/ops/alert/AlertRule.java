package io.datastream.control.ops.alert;

import java.util.List;
import java.util.Objects;

/**
 * A user's rule: fire when the {@code kind}'s value is over {@code threshold} for {@code forMs}.
 *
 * @param id        rule id
 * @param kind      what it watches
 * @param threshold the value above which it breaches
 * @param forMs     how long the breach must last before firing (0 = at once)
 * @param task      the task in scope, or null for every task
 * @param hosts     a host glob of the agents in scope, or null for every host
 * @param webhooks  URLs notified (POST JSON) on firing and resolved; the log is always notified
 */
public record AlertRule(String id, AlertKind kind, double threshold, long forMs, String task, String hosts, List<String> webhooks) {
    public AlertRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
    }
}
