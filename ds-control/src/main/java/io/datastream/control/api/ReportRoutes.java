package io.datastream.control.api;

import io.datastream.control.ops.store.Ingest;
import io.datastream.control.ops.store.OpsStore;
import io.datastream.control.ops.store.Report;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/v1/reports}: minute reports from agents, routers and sinks. Answered 202 once
 * queued for the store's writer (idempotent: a re-sent report replaces), 503 with Retry-After when
 * the writer's queue is full (the report is dropped and counted; send it again).
 */
final class ReportRoutes {
    static final String REPORTS = "/api/v1/reports";

    private final OpsStore store;
    private final int maxBody;

    ReportRoutes(OpsStore store, int maxBody) {
        this.store = store;
        this.maxBody = maxBody;
    }

    void register(Javalin app) {
        app.post(REPORTS, this::ingest);
    }

    private void ingest(Context ctx) {
        Report report = ReportJson.parse(Http.body(ctx, maxBody), store.nowMinute());
        Ingest result = store.ingest(report);
        if (result.outcome() == Ingest.Outcome.QUEUE_FULL) {
            ctx.header("Retry-After", "5");
            throw new ApiException(503, "the metrics store is busy (its write queue is full): the report was dropped; send it again");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepted", result.accepted());
        body.put("skipped", result.skipped());
        Http.json(ctx, 202, body);
    }
}
