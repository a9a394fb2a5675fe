package io.datastream.control.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/v1/whoami}: who the caller is and what its role allows, so a client (the web
 * console) can show only the actions the API would accept. Any valid token may ask.
 */
final class CallerRoutes {
    static final String WHOAMI = "/api/v1/whoami";

    private final boolean tokensConfigured;

    CallerRoutes(boolean tokensConfigured) {
        this.tokensConfigured = tokensConfigured;
    }

    void register(Javalin app) {
        app.get(WHOAMI, this::whoami);
    }

    private void whoami(Context ctx) {
        AccessGuard.Caller caller = ctx.attribute(RestApi.CALLER);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", caller.name());
        body.put("role", caller.role().configName());
        body.put("tokensConfigured", tokensConfigured);
        Http.json(ctx, body);
    }
}
