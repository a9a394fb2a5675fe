package io.datastream.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datastream.control.ops.OpsPlane;
import io.datastream.control.ops.alert.AlertRepository;
import io.datastream.control.ops.alert.AlertRule;
import io.datastream.control.ops.alert.AlertRuleCodec;
import io.datastream.control.ops.alert.AlertState;
import io.datastream.control.ops.alert.RuleStatus;
import io.datastream.control.ops.alert.Transition;
import io.datastream.registry.task.FieldError;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Alert rules: {@code /api/v1/alerts/rules} (list, create), {@code /api/v1/alerts/rules/{id}} (get
 * with state and history, replace, delete), {@code /api/v1/alerts/rules/{id}/silence} and
 * {@code /api/v1/alerts/history} (the transitions of every rule, newest first).
 */
final class AlertRoutes {
    static final String RULES = "/api/v1/alerts/rules";
    static final String RULE = "/api/v1/alerts/rules/{id}";
    static final String SILENCE = "/api/v1/alerts/rules/{id}/silence";
    static final String HISTORY_OF_ALL = "/api/v1/alerts/history";
    static final int HISTORY = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpsPlane ops;
    private final int maxBody;

    AlertRoutes(OpsPlane ops, int maxBody) {
        this.ops = ops;
        this.maxBody = maxBody;
    }

    void register(Javalin app) {
        app.get(RULES, this::list);
        app.post(RULES, this::create);
        app.get(RULE, this::get);
        app.put(RULE, this::replace);
        app.delete(RULE, this::delete);
        app.post(SILENCE, this::silence);
        app.get(HISTORY_OF_ALL, this::historyOfAll);
    }

    /**
     * The transitions of every rule in a time range, newest first, paged with a {@code before}
     * cursor: {"items": [{"seq", "rule", "atMillis", "from", "to", "value", "message"}], "total", "next"?}.
     */
    private void historyOfAll(Context ctx) {
        long fromMs = TimeParams.minute(ctx, "from", 0) * 60_000;
        long toMinute = TimeParams.minute(ctx, "to", Long.MAX_VALUE / 60_000);
        long toMs = toMinute >= Long.MAX_VALUE / 60_000 ? Long.MAX_VALUE : toMinute * 60_000;
        AlertState to = null;
        String state = Http.param(ctx, "state");
        if (state != null) {
            try {
                to = AlertState.valueOf(state.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badField("state", "must be one of inactive, pending, firing, resolved, was '" + state + "'");
            }
        }
        long before = Long.MAX_VALUE;
        String cursor = Http.param(ctx, "before");
        if (cursor != null) {
            try {
                before = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw ApiException.badField("before", "must be the next value of the previous page, was '" + cursor + "'");
            }
        }
        int limit = Http.limit(ctx);
        // one more than the page, to know whether there is a next one
        AlertRepository.HistoryPage page = repo().historyOfAll(fromMs, toMs, to, before, limit + 1);
        List<AlertRepository.HistoryEntry> entries = page.items().subList(0, Math.min(limit, page.items().size()));
        List<Map<String, Object>> items = new ArrayList<>(entries.size());
        for (AlertRepository.HistoryEntry e : entries) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("seq", e.seq());
            h.put("rule", e.transition().ruleId());
            h.putAll(transition(e.transition()));
            items.add(h);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("total", page.total());
        if (page.items().size() > limit) {
            body.put("next", String.valueOf(entries.get(entries.size() - 1).seq()));
        }
        Http.json(ctx, body);
    }

    private static Map<String, Object> transition(Transition t) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("atMillis", t.atMs());
        h.put("from", t.from().wireName());
        h.put("to", t.to().wireName());
        h.put("value", t.value());
        h.put("message", t.message());
        return h;
    }

    private AlertRepository repo() {
        return ops.alerts().repository();
    }

    private void list(Context ctx) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (AlertRepository.StoredRule r : repo().list()) {
            items.add(view(r));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("total", items.size());
        Http.json(ctx, body);
    }

    private void create(Context ctx) {
        AlertRule rule = parse(ctx, null);
        if (!repo().create(rule)) {
            throw new ApiException(409, "alert rule '" + rule.id() + "' already exists");
        }
        ctx.header("Location", RULES + "/" + rule.id());
        Http.json(ctx, 201, view(repo().get(rule.id())));
    }

    private void get(Context ctx) {
        AlertRepository.StoredRule r = found(ctx.pathParam("id"));
        Map<String, Object> body = view(r);
        List<Map<String, Object>> history = new ArrayList<>();
        for (Transition t : repo().history(r.rule().id(), HISTORY)) {
            history.add(transition(t));
        }
        body.put("history", history);
        Http.json(ctx, body);
    }

    private void replace(Context ctx) {
        AlertRule rule = parse(ctx, ctx.pathParam("id"));
        if (!repo().replace(rule)) {
            throw new ApiException(404, "alert rule '" + rule.id() + "' does not exist");
        }
        Http.json(ctx, view(repo().get(rule.id())));
    }

    private void delete(Context ctx) {
        if (!repo().delete(ctx.pathParam("id"))) {
            throw new ApiException(404, "alert rule '" + ctx.pathParam("id") + "' does not exist");
        }
        ctx.status(204);
    }

    private void silence(Context ctx) {
        JsonNode body = tree(ctx);
        JsonNode d = body.path("durationMs");
        if (!d.isIntegralNumber() || d.asLong() < 0 || d.asLong() > 30L * 86_400_000) {
            throw ApiException.badField("durationMs", "required: milliseconds in [0, 2592000000] (0 lifts the silence)");
        }
        long until = d.asLong() == 0 ? 0 : ops.store().clock().millis() + d.asLong();
        if (!repo().silence(ctx.pathParam("id"), until)) {
            throw new ApiException(404, "alert rule '" + ctx.pathParam("id") + "' does not exist");
        }
        Http.json(ctx, view(repo().get(ctx.pathParam("id"))));
    }

    private AlertRepository.StoredRule found(String id) {
        AlertRepository.StoredRule r = repo().get(id);
        if (r == null) {
            throw new ApiException(404, "alert rule '" + id + "' does not exist");
        }
        return r;
    }

    private AlertRule parse(Context ctx, String pathId) {
        List<FieldError> errors = new ArrayList<>();
        AlertRule rule = AlertRuleCodec.fromJson(tree(ctx), pathId, errors);
        if (rule == null) {
            throw new ApiException(400, "invalid alert rule: " + errors.get(0).field() + ": " + errors.get(0).message(), errors);
        }
        return rule;
    }

    private JsonNode tree(Context ctx) {
        try {
            JsonNode n = JSON.readTree(Http.body(ctx, maxBody));
            return n == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : n;
        } catch (IOException e) {
            throw new ApiException(400, "the body is not valid JSON", List.of(new FieldError("body", "not valid JSON")));
        }
    }

    private static Map<String, Object> view(AlertRepository.StoredRule r) {
        Map<String, Object> m = new LinkedHashMap<>(AlertRuleCodec.toJson(r.rule()));
        RuleStatus st = r.status();
        m.put("state", st.state().wireName());
        m.put("sinceMillis", st.sinceMs());
        m.put("value", st.value());
        m.put("message", st.message());
        m.put("silencedUntilMillis", st.silencedUntilMs());
        return m;
    }
}
