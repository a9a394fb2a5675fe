package io.datastream.control.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datastream.control.ops.store.Counter;
import io.datastream.control.ops.store.Counts;
import io.datastream.control.ops.store.LatencyBuckets;
import io.datastream.control.ops.store.ReasonKind;
import io.datastream.control.ops.store.Report;
import io.datastream.control.ops.store.Tier;
import io.datastream.registry.task.FieldError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the body of {@code POST /api/v1/reports}:
 * <pre>
 * {"source": {"kind": "agent", "id": "agent-web-1"},
 *  "minutes": [{"minute": 29433600, "task": "nginx", "counts": {"linesRead": 120, "droppedByReason": {"overLongLine": 1}}}]}
 * </pre>
 * A sink's minute may carry its read-to-commit latencies: {@code "latencyMaxMs": 2345,
 * "latencyBuckets": {"44": 100, "45": 20}} (bucket index to lines, {@link LatencyBuckets}).
 * Every problem is reported with its field path; unknown keys are refused.
 */
final class ReportJson {
    static final int MAX_MINUTES = 10_000;
    /** How far ahead of the server's clock a minute may be (clock skew). */
    static final long MAX_FUTURE_MINUTES = 5;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");
    private static final Pattern TASK = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern REASON = Pattern.compile("[A-Za-z0-9._-]{1," + Counts.MAX_REASON_LENGTH + "}");
    private static final Pattern BUCKET = Pattern.compile("[0-9]{1,3}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportJson() {
    }

    static Report parse(byte[] body, long nowMinute) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "the body is not valid JSON: " + e.getOriginalMessage(),
                    List.of(new FieldError("body", "not valid JSON")));
        } catch (IOException e) {
            throw new ApiException(400, "the body cannot be read", List.of(new FieldError("body", e.getMessage())));
        }
        List<FieldError> errors = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw bad(List.of(new FieldError("body", "must be a JSON object")));
        }
        unknown(root, Set.of("source", "minutes"), "", errors);
        JsonNode source = root.path("source");
        Tier tier = null;
        String id = null;
        if (!source.isObject()) {
            errors.add(new FieldError("source", "required: {kind: agent|router|sink, id}"));
        } else {
            unknown(source, Set.of("kind", "id"), "source.", errors);
            tier = Tier.ofWireName(source.path("kind").asText(""));
            if (tier == null || !source.path("kind").isTextual()) {
                errors.add(new FieldError("source.kind", "must be agent, router or sink"));
            }
            id = source.path("id").isTextual() ? source.path("id").asText() : null;
            if (id == null || !ID.matcher(id).matches()) {
                errors.add(new FieldError("source.id", "must match " + ID.pattern()));
            }
        }
        JsonNode minutes = root.path("minutes");
        List<Report.Minute> parsed = new ArrayList<>();
        if (!minutes.isArray()) {
            errors.add(new FieldError("minutes", "required: an array of {minute, task, counts}"));
        } else if (minutes.size() > MAX_MINUTES) {
            errors.add(new FieldError("minutes", "at most " + MAX_MINUTES + " per report, was " + minutes.size()));
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < minutes.size(); i++) {
                Report.Minute m = minute(minutes.get(i), "minutes[" + i + "]", nowMinute, errors);
                if (m != null && !seen.add(m.minute() + "/" + m.task())) {
                    errors.add(new FieldError("minutes[" + i + "]", "minute " + m.minute() + " of task " + m.task() + " is in the report twice"));
                }
                if (m != null) {
                    parsed.add(m);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw bad(errors);
        }
        return new Report(tier, id, parsed);
    }

    private static Report.Minute minute(JsonNode n, String at, long nowMinute, List<FieldError> errors) {
        if (!n.isObject()) {
            errors.add(new FieldError(at, "must be an object {minute, task, counts}"));
            return null;
        }
        int before = errors.size();
        unknown(n, Set.of("minute", "task", "counts"), at + ".", errors);
        JsonNode minute = n.path("minute");
        if (!minute.canConvertToExactIntegral() || !minute.isIntegralNumber()) {
            errors.add(new FieldError(at + ".minute", "required: the epoch minute (epoch seconds / 60)"));
        } else if (minute.asLong() > nowMinute + MAX_FUTURE_MINUTES || minute.asLong() < 0) {
            errors.add(new FieldError(at + ".minute", "epoch minute " + minute.asLong() + " is in the future (now " + nowMinute + ")"));
        }
        JsonNode task = n.path("task");
        if (!task.isTextual() || !TASK.matcher(task.asText()).matches()) {
            errors.add(new FieldError(at + ".task", "required: a task id matching " + TASK.pattern()));
        }
        Counts counts = counts(n.path("counts"), at + ".counts", errors);
        return errors.size() == before ? new Report.Minute(minute.asLong(), task.asText(), counts) : null;
    }

    private static Counts counts(JsonNode n, String at, List<FieldError> errors) {
        Counts.Builder b = Counts.builder();
        if (!n.isObject()) {
            errors.add(new FieldError(at, "required: an object of counts"));
            return null;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            ReasonKind kind = ReasonKind.ofJson(key);
            if (kind != null) {
                reasons(e.getValue(), at + "." + key, kind, b, errors);
                continue;
            }
            if (key.equals("latencyBuckets")) {
                latency(e.getValue(), at + "." + key, b, errors);
                continue;
            }
            Counter c = Counter.ofJson(key);
            if (c == null) {
                errors.add(new FieldError(at + "." + key, "unknown count"));
            } else if (!count(e.getValue())) {
                errors.add(new FieldError(at + "." + key, "must be a non-negative integer"));
            } else {
                b.set(c, e.getValue().asLong());
            }
        }
        return b.build();
    }

    private static void reasons(JsonNode n, String at, ReasonKind kind, Counts.Builder b, List<FieldError> errors) {
        if (!n.isObject() || n.size() > Counts.MAX_REASONS) {
            errors.add(new FieldError(at, "must be an object of at most " + Counts.MAX_REASONS + " reason: lines"));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!REASON.matcher(e.getKey()).matches()) {
                errors.add(new FieldError(at + "." + e.getKey(), "a reason must match " + REASON.pattern()));
            } else if (!count(e.getValue())) {
                errors.add(new FieldError(at + "." + e.getKey(), "must be a non-negative integer"));
            } else {
                b.reason(kind, e.getKey(), e.getValue().asLong());
            }
        }
    }

    /** {@code latencyBuckets}: bucket index (as a string) to lines, in the layout of {@link LatencyBuckets}. */
    private static void latency(JsonNode n, String at, Counts.Builder b, List<FieldError> errors) {
        if (!n.isObject() || n.size() > LatencyBuckets.BUCKETS) {
            errors.add(new FieldError(at, "must be an object of at most " + LatencyBuckets.BUCKETS + " bucket: lines"));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int bucket = BUCKET.matcher(e.getKey()).matches() ? Integer.parseInt(e.getKey()) : -1;
            if (bucket < 0 || bucket >= LatencyBuckets.BUCKETS) {
                errors.add(new FieldError(at + "." + e.getKey(), "a bucket must be an integer in [0, " + LatencyBuckets.BUCKETS + ")"));
            } else if (!count(e.getValue())) {
                errors.add(new FieldError(at + "." + e.getKey(), "must be a non-negative integer"));
            } else {
                b.latency(bucket, e.getValue().asLong());
            }
        }
    }

    private static boolean count(JsonNode v) {
        return v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0;
    }

    private static void unknown(JsonNode n, Set<String> known, String prefix, List<FieldError> errors) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                errors.add(new FieldError(prefix + f, "unknown field (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")"));
            }
        }
    }

    private static ApiException bad(List<FieldError> errors) {
        return new ApiException(400, "invalid report: " + errors.get(0).field() + ": " + errors.get(0).message(), errors);
    }
}
