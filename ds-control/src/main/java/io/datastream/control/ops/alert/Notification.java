package io.datastream.control.ops.alert;

import java.util.LinkedHashMap;
import java.util.Map;

/** What is sent when a rule fires or resolves. */
public record Notification(AlertRule rule, AlertState state, double value, String message, long atMs) {
    /** The webhook body. */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", rule.id());
        m.put("kind", rule.kind().wireName());
        m.put("state", state.wireName());
        m.put("value", value);
        m.put("threshold", rule.threshold());
        if (rule.task() != null) {
            m.put("task", rule.task());
        }
        if (rule.hosts() != null) {
            m.put("hosts", rule.hosts());
        }
        m.put("message", message);
        m.put("atMillis", atMs);
        return m;
    }
}
