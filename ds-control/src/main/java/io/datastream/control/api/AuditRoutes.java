package io.datastream.control.api;

import io.datastream.control.ops.audit.AuditReport;
import io.datastream.control.ops.audit.AuditWindow;
import io.datastream.control.ops.audit.Auditor;
import io.datastream.control.ops.store.OpsStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/tasks/{id}/audit?since=1h}: the tier-by-tier audit of a task, per minute and
 * in total. Read from the metrics store only (a deleted task can still be audited).
 */
final class AuditRoutes {
    static final String AUDIT = "/api/v1/tasks/{id}/audit";
    static final long MAX_MINUTES = 7L * 1440;
    private static final Pattern TASK = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final OpsStore store;
    private final Auditor auditor;

    AuditRoutes(OpsStore store, Auditor auditor) {
        this.store = store;
        this.auditor = auditor;
    }

    void register(Javalin app) {
        app.get(AUDIT, this::audit);
    }

    private void audit(Context ctx) {
        String task = ctx.pathParam("id");
        if (!TASK.matcher(task).matches()) {
            throw ApiException.badField("id", "must match " + TASK.pattern());
        }
        long now = store.nowMinute();
        long to = TimeParams.minute(ctx, "to", now + 1);
        long from = TimeParams.since(ctx, now, 60);
        if (from >= to) {
            throw ApiException.badField("since", "must be before to");
        }
        if (to - from > MAX_MINUTES) {
            throw ApiException.badField("since", "at most " + MAX_MINUTES + " minutes (7 days) per audit");
        }
        Http.json(ctx, view(auditor.audit(task, from, to)));
    }

    static Map<String, Object> view(AuditReport r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("task", r.task());
        body.put("from", r.fromMinute());
        body.put("to", r.toMinute());
        body.put("finalBefore", r.finalBefore());
        List<Map<String, Object>> windows = new ArrayList<>();
        for (AuditWindow w : r.windows()) {
            windows.add(window(w));
        }
        body.put("windows", windows);
        body.put("total", window(r.total()));
        body.put("droppedByReason", r.droppedByReason());
        body.put("reporting", r.reporting().stream().map(io.datastream.control.ops.store.Tier::wireName).toList());
        return body;
    }

    private static Map<String, Object> window(AuditWindow w) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (w.minute() >= 0) {
            m.put("minute", w.minute());
        }
        m.put("read", w.read());
        m.put("dropped", w.dropped());
        m.put("acked", w.acked());
        m.put("inKafka", w.inKafka());
        m.put("committed", w.committed());
        m.put("duplicatesDropped", w.duplicatesDropped());
        m.put("status", w.status().wireName());
        m.put("missing", w.missing());
        m.put("extra", w.extra());
        return m;
    }
}
