package io.datastream.control.ops.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datastream.control.inventory.HostGlob;
import io.datastream.registry.task.FieldError;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A rule as JSON, both ways:
 * <pre>
 * {"id": "web-backlog", "kind": "backlogBytes", "threshold": 1000000, "forMs": 120000,
 *  "scope": {"task": "web", "hosts": "web-*"}, "webhooks": ["https://hooks.example/ds"]}
 * </pre>
 * Reading collects every problem with its field.
 */
public final class AlertRuleCodec {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final int MAX_WEBHOOKS = 8;

    private AlertRuleCodec() {
    }

    public static Map<String, Object> toJson(AlertRule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("kind", r.kind().wireName());
        m.put("threshold", r.threshold());
        m.put("forMs", r.forMs());
        Map<String, Object> scope = new LinkedHashMap<>();
        if (r.task() != null) {
            scope.put("task", r.task());
        }
        if (r.hosts() != null) {
            scope.put("hosts", r.hosts());
        }
        m.put("scope", scope);
        m.put("webhooks", r.webhooks());
        return m;
    }

    static String write(AlertRule r) {
        try {
            return JSON.writeValueAsString(toJson(r));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static AlertRule read(String json) {
        try {
            List<FieldError> errors = new ArrayList<>();
            AlertRule r = fromJson(JSON.readTree(json), null, errors);
            if (r == null) {
                throw new IllegalStateException("stored rule does not parse: " + errors);
            }
            return r;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored rule does not parse", e);
        }
    }

    /**
     * A rule from JSON, or null with {@code errors} filled.
     *
     * @param pathId the id from the URL (PUT), or null: then the body's id is required
     */
    public static AlertRule fromJson(JsonNode n, String pathId, List<FieldError> errors) {
        if (n == null || !n.isObject()) {
            errors.add(new FieldError("body", "must be a JSON object"));
            return null;
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("id", "kind", "threshold", "forMs", "scope", "webhooks").contains(f)) {
                errors.add(new FieldError(f, "unknown field (known: forMs, id, kind, scope, threshold, webhooks)"));
            }
        }
        String id = n.path("id").isTextual() ? n.path("id").asText() : null;
        if (pathId != null) {
            if (id != null && !id.equals(pathId)) {
                errors.add(new FieldError("id", "'" + id + "' differs from the URL's '" + pathId + "'"));
            }
            id = pathId;
        }
        if (id == null || !ID.matcher(id).matches()) {
            errors.add(new FieldError("id", "required, matching " + ID.pattern()));
        }
        AlertKind kind = AlertKind.ofWireName(n.path("kind").asText(""));
        if (kind == null) {
            errors.add(new FieldError("kind", "must be one of " + java.util.stream.Stream.of(AlertKind.values())
                    .map(AlertKind::wireName).collect(java.util.stream.Collectors.joining(", "))));
        }
        JsonNode t = n.path("threshold");
        double threshold = 0;
        if (t.isMissingNode()) {
            threshold = 0;
        } else if (!t.isNumber() || t.asDouble() < 0) {
            errors.add(new FieldError("threshold", "must be a non-negative number"));
        } else {
            threshold = t.asDouble();
        }
        JsonNode f = n.path("forMs");
        long forMs = 0;
        if (!f.isMissingNode()) {
            if (!f.isIntegralNumber() || f.asLong() < 0 || f.asLong() > 7L * 86_400_000) {
                errors.add(new FieldError("forMs", "must be an integer of milliseconds in [0, 604800000]"));
            } else {
                forMs = f.asLong();
            }
        }
        String task = null;
        String hosts = null;
        JsonNode scope = n.path("scope");
        if (!scope.isMissingNode() && !scope.isNull()) {
            if (!scope.isObject()) {
                errors.add(new FieldError("scope", "must be an object {task, hosts}"));
            } else {
                for (Iterator<String> it = scope.fieldNames(); it.hasNext(); ) {
                    String s = it.next();
                    if (!s.equals("task") && !s.equals("hosts")) {
                        errors.add(new FieldError("scope." + s, "unknown field (known: hosts, task)"));
                    }
                }
                if (scope.has("task")) {
                    task = scope.path("task").asText("");
                    if (!scope.path("task").isTextual() || !ID.matcher(task).matches()) {
                        errors.add(new FieldError("scope.task", "must be a task id"));
                    }
                }
                if (scope.has("hosts")) {
                    hosts = scope.path("hosts").asText("");
                    try {
                        HostGlob.of(hosts);
                    } catch (IllegalArgumentException e) {
                        errors.add(new FieldError("scope.hosts", "not a valid host glob: " + e.getMessage()));
                    }
                }
            }
        }
        List<String> webhooks = new ArrayList<>();
        JsonNode w = n.path("webhooks");
        if (!w.isMissingNode()) {
            if (!w.isArray() || w.size() > MAX_WEBHOOKS) {
                errors.add(new FieldError("webhooks", "must be an array of at most " + MAX_WEBHOOKS + " http(s) URLs"));
            } else {
                for (int i = 0; i < w.size(); i++) {
                    String url = w.get(i).asText("");
                    if (!validUrl(url)) {
                        errors.add(new FieldError("webhooks[" + i + "]", "must be an http:// or https:// URL, was '" + url + "'"));
                    }
                    webhooks.add(url);
                }
            }
        }
        if (!errors.isEmpty()) {
            return null;
        }
        return new AlertRule(id, kind, threshold, forMs, task, hosts, webhooks);
    }

    private static boolean validUrl(String url) {
        try {
            URI u = URI.create(url);
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
