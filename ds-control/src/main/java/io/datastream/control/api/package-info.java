/**
 * The REST API (Javalin): routes for tasks ({@link io.datastream.control.api.TaskRoutes}), agents
 * and routers ({@link io.datastream.control.api.MemberRoutes}, with an agent's files and a router's
 * Kafka latency asked from the member's own HTTP port, {@link io.datastream.control.api.MemberHttp}), reports, series, audits and alert
 * rules, the caller's role ({@link io.datastream.control.api.CallerRoutes}) and the server itself
 * ({@link io.datastream.control.api.SystemRoutes}); strict, bounded request parsing
 * ({@link io.datastream.control.api.TaskRequests}); the access guard (bearer token with a role, or
 * loopback; JSON-only writes and the Origin check, {@link io.datastream.control.api.AccessGuard});
 * and one error shape for every failure ({@link io.datastream.control.api.ApiError}). The routes
 * are described in the hand-written {@code openapi.yaml} next to this package, served at
 * {@code GET /api/openapi.yaml}. The web console's static files under {@code /ui}
 * ({@link io.datastream.control.api.ConsoleRoutes}; the files are in the {@code ui} resource folder)
 * are served here too, outside the API.
 */
package io.datastream.control.api;
