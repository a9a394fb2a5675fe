/**
 * Observability over HTTP on {@code http.port}: {@code GET /metrics} (Prometheus text format,
 * {@link io.datastream.router.http.RouterMetrics}) and {@code GET /health}
 * ({@link io.datastream.router.http.Health}: 200 "ok" while accepting, 503 while draining or when
 * Kafka has stalled), served by a small Netty server of its own with read timeouts ({@link io.datastream.router.http.HttpEndpoint}).
 */
package io.datastream.router.http;
