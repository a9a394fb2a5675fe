package io.datastream.control.api;

import io.datastream.control.ops.store.Counts;
import io.datastream.control.ops.store.OpsStore;
import io.datastream.control.ops.store.Series;
import io.datastream.control.ops.store.Step;
import io.datastream.control.ops.store.Tier;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/metrics?task=&source=&from=&to=&step=minute|hour}: a task's counts per tier
 * and point, summed over its sources (or one source); without {@code task}, summed over every task. {@code from}/{@code to} are epoch minutes or
 * ISO-8601 instants, {@code to} exclusive; default the last hour.
 */
final class SeriesRoutes {
    static final String SERIES = "/api/v1/metrics";
    static final int MAX_POINTS = 20_000;

    private final OpsStore store;

    SeriesRoutes(OpsStore store) {
        this.store = store;
    }

    void register(Javalin app) {
        app.get(SERIES, this::series);
    }

    private void series(Context ctx) {
        String task = Http.param(ctx, "task");
        String source = Http.param(ctx, "source");
        if (task == null && source != null) {
            throw ApiException.badField("task", "required with source");
        }
        String stepName = ctx.queryParam("step") == null ? "minute" : ctx.queryParam("step");
        Step step = Step.ofWireName(stepName);
        if (step == null) {
            throw ApiException.badField("step", "must be minute or hour, was '" + stepName + "'");
        }
        long now = store.nowMinute();
        long to = TimeParams.minute(ctx, "to", now + 1);
        long from = TimeParams.minute(ctx, "from", to - 60);
        if (from >= to) {
            throw ApiException.badField("from", "must be before to (" + from + " >= " + to + ")");
        }
        if ((to - from) / step.minutes() > MAX_POINTS) {
            throw ApiException.badField("from", "at most " + MAX_POINTS + " points per series; use step=hour or a shorter range");
        }
        Series s = store.series(task, source, step, from, to);
        Http.json(ctx, view(s));
    }

    static Map<String, Object> view(Series s) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (s.task() != null) {
            body.put("task", s.task());
        }
        if (s.source() != null) {
            body.put("source", s.source());
        }
        body.put("step", s.step().wireName());
        body.put("from", s.fromMinute());
        body.put("to", s.toMinute());
        Map<String, Object> tiers = new LinkedHashMap<>();
        for (Tier t : Tier.values()) {
            List<Map<String, Object>> points = new ArrayList<>();
            for (Map.Entry<Long, Counts> p : s.of(t).entrySet()) {
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("minute", p.getKey());
                point.put("counts", p.getValue().toJson());
                points.add(point);
            }
            tiers.put(t.wireName(), points);
        }
        body.put("tiers", tiers);
        return body;
    }
}
