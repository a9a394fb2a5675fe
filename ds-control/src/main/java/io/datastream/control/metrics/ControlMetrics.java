package io.datastream.control.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Every metric of the control server, defined once. Label values come from small bounded sets:
 * {@code method} (HTTP verbs), {@code route} (the route templates of the API, or "unmatched"),
 * {@code status} (HTTP status codes the API answers).
 */
public final class ControlMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Histogram duration;
    private final Counter zkUnavailable;

    public ControlMetrics(BooleanSupplier zkConnected, IntSupplier agents, IntSupplier routers) {
        requests = Counter.builder().name("ds_control_http_requests_total")
                .help("HTTP requests answered, by method, route template and status code")
                .labelNames("method", "route", "status").register(registry);
        duration = Histogram.builder().name("ds_control_http_request_duration_seconds").unit(Unit.SECONDS)
                .help("Time to answer an HTTP request, by method and route template")
                .classicOnly().classicUpperBounds(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .labelNames("method", "route").register(registry);
        zkUnavailable = Counter.builder().name("ds_control_zookeeper_unavailable_total")
                .help("API calls answered 503 because ZooKeeper was unreachable or too slow").register(registry);
        GaugeWithCallback.builder().name("ds_control_zookeeper_connected")
                .help("1 while the control server is connected to ZooKeeper, else 0")
                .callback(cb -> cb.call(zkConnected.getAsBoolean() ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("ds_control_agents")
                .help("Live agents registered in ZooKeeper, as the control server sees them")
                .callback(cb -> cb.call(agents.getAsInt())).register(registry);
        GaugeWithCallback.builder().name("ds_control_routers")
                .help("Live routers registered in ZooKeeper, as the control server sees them")
                .callback(cb -> cb.call(routers.getAsInt())).register(registry);
    }

    /** Agents and routers whose node went away and that control still lists as down, and those forgotten early (over the cap). */
    public void membersDown(IntSupplier agents, IntSupplier routers, LongSupplier agentsForgotten, LongSupplier routersForgotten) {
        GaugeWithCallback.builder().name("ds_control_agents_down")
                .help("Agents whose ZooKeeper node went away in the last 24 h and that did not come back (GET /api/v1/agents?state=down)")
                .callback(cb -> cb.call(agents.getAsInt())).register(registry);
        GaugeWithCallback.builder().name("ds_control_routers_down")
                .help("Routers whose ZooKeeper node went away in the last 24 h and that did not come back (GET /api/v1/routers?state=down)")
                .callback(cb -> cb.call(routers.getAsInt())).register(registry);
        counter("ds_control_agents_down_forgotten_total", "Agents down forgotten before 24 h because more than 1000 were down", agentsForgotten);
        counter("ds_control_routers_down_forgotten_total", "Routers down forgotten before 24 h because more than 1000 were down", routersForgotten);
    }

    /** The metrics store's: reports dropped on a full queue, writes queued, rows written. */
    public void store(LongSupplier dropped, IntSupplier queued, LongSupplier rows) {
        CounterWithCallback.builder().name("ds_control_store_reports_dropped_total")
                .help("Minute reports dropped because the metrics store's write queue was full (answered 503)")
                .callback(cb -> cb.call(dropped.getAsLong())).register(registry);
        GaugeWithCallback.builder().name("ds_control_store_queue_depth")
                .help("Writes waiting for the metrics store's writer thread")
                .callback(cb -> cb.call(queued.getAsInt())).register(registry);
        CounterWithCallback.builder().name("ds_control_store_rows_written_total")
                .help("Rows the metrics store's writer has written (per-source, per-task and reason rows)")
                .callback(cb -> cb.call(rows.getAsLong())).register(registry);
    }

    /** The alert webhooks': every attempt, failed attempts, notifications given up after the last attempt, dropped on a full queue. */
    public void webhooks(LongSupplier attempts, LongSupplier failed, LongSupplier givenUp, LongSupplier dropped) {
        counter("ds_control_alert_webhook_attempts_total", "Alert webhook calls made, successful or not", attempts);
        counter("ds_control_alert_webhook_failures_total", "Alert webhook calls that failed (no answer in time, or not 2xx)", failed);
        counter("ds_control_alert_webhook_given_up_total", "Alert notifications given up after alerts.webhookMaxAttempts", givenUp);
        counter("ds_control_alert_webhook_dropped_total", "Alert notifications dropped because the webhook queue was full", dropped);
    }

    /** A counter read from {@code value} at each scrape. */
    public void counter(String name, String help, LongSupplier value) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsLong())).register(registry);
    }

    /** Counts one answered request. */
    public void request(String method, String route, int status, double seconds) {
        requests.labelValues(method, route, Integer.toString(status)).inc();
        duration.labelValues(method, route).observe(seconds);
    }

    public void zooKeeperUnavailable() {
        zkUnavailable.inc();
    }

    /** The Prometheus text exposition format. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public String contentType() {
        return writer.getContentType();
    }
}
