/**
 * The REST API (Javalin): routes for tasks ({@link io.datastream.control.api.TaskRoutes}), agents
 * and routers ({@link io.datastream.control.api.MemberRoutes}) and the server itself
 * ({@link io.datastream.control.api.SystemRoutes}); strict, bounded request parsing
 * ({@link io.datastream.control.api.TaskRequests}); the write guard (bearer token or loopback,
 * {@link io.datastream.control.api.WriteGuard}); and one error shape for every failure
 * ({@link io.datastream.control.api.ApiError}). The routes are described in the hand-written
 * {@code openapi.yaml} next to this package, served at {@code GET /api/openapi.yaml}.
 */
package io.datastream.control.api;
