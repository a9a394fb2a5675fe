package io.datastream.router.http;

import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.frame.AckStatus;
import io.datastream.protocol.frame.GoAwayReason;
import io.datastream.router.credit.MemoryPool;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Every metric of one router, defined once here with its description; label values come from
 * the protocol's enums (small bounded sets). One registry per router, so several routers can run
 * in one JVM (tests, standalone mode).
 */
public final class RouterMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter accepted = counter("ds_router_connections_accepted_total", "agent connections accepted");
    private final Counter creditGranted = counter("ds_router_credit_granted_bytes_total", "credit granted to agents, in BATCH body bytes");
    private final Counter batchesIn = counter("ds_router_batches_in_total", "BATCH frames received");
    private final Counter bytesIn = counter("ds_router_bytes_in_total", "BATCH frame body bytes received (compressed, as on the wire)");
    private final Counter batchesOut = counter("ds_router_batches_out_total", "batches acknowledged by Kafka");
    private final Counter bytesOut = counter("ds_router_bytes_out_total", "BATCH body bytes of the batches acknowledged by Kafka");
    private final Counter recordsOut = counter("ds_router_kafka_records_out_total", "Kafka records acknowledged (one per batch in envelope mode, one per line in lines mode)");
    private final Histogram ackLatency = Histogram.builder().name("ds_router_kafka_ack_latency_seconds")
            .help("time from handing a record to the producer to Kafka's acknowledgement")
            .classicOnly().classicUpperBounds(0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120)
            .register(registry);
    private final Map<ErrorCode, CounterDataPoint> errors = new EnumMap<>(ErrorCode.class);
    private final Map<AckStatus, CounterDataPoint> acks = new EnumMap<>(AckStatus.class);
    private final Map<GoAwayReason, CounterDataPoint> goAways = new EnumMap<>(GoAwayReason.class);

    /**
     * @param connections agent connections now
     * @param pool        the memory pool
     * @param draining    whether the router is draining
     * @param queued      batches waiting for the Kafka sender threads
     */
    public RouterMetrics(IntSupplier connections, MemoryPool pool, BooleanSupplier draining, IntSupplier queued) {
        Counter errorCounter = Counter.builder().name("ds_router_errors_total")
                .help("errors reported to agents (ERROR frames and ACKs that are not OK), by error code").labelNames("code").register(registry);
        for (ErrorCode c : ErrorCode.values()) {
            errors.put(c, errorCounter.labelValues(c.name()));
        }
        Counter ackCounter = Counter.builder().name("ds_router_acks_total").help("ACK frames sent, by status").labelNames("status").register(registry);
        for (AckStatus s : AckStatus.values()) {
            acks.put(s, ackCounter.labelValues(s.name()));
        }
        Counter goAwayCounter = Counter.builder().name("ds_router_goaway_total").help("GOAWAY frames sent, by reason").labelNames("reason").register(registry);
        for (GoAwayReason r : GoAwayReason.values()) {
            goAways.put(r, goAwayCounter.labelValues(r.name()));
        }
        gauge("ds_router_connections", "agent connections open", connections::getAsInt);
        gauge("ds_router_pool_used_bytes", "bytes of the memory pool held by batches not yet acknowledged by Kafka", pool::used);
        gauge("ds_router_pool_capacity_bytes", "capacity of the memory pool", pool::capacity);
        gauge("ds_router_draining", "1 while the router drains (shutting down), else 0", () -> draining.getAsBoolean() ? 1 : 0);
        gauge("ds_router_kafka_queue_batches", "batches waiting for a Kafka sender thread", queued::getAsInt);
    }

    private Counter counter(String name, String help) {
        return Counter.builder().name(name).help(help).register(registry);
    }

    private void gauge(String name, String help, java.util.function.DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public void connectionAccepted() {
        accepted.inc();
    }

    public void creditGranted(long bytes) {
        creditGranted.inc(bytes);
    }

    public void batchIn(int bytes) {
        batchesIn.inc();
        bytesIn.inc(bytes);
    }

    /** A batch was acknowledged by Kafka as {@code records} records. */
    public void batchOut(int bytes, int records) {
        batchesOut.inc();
        bytesOut.inc(bytes);
        recordsOut.inc(records);
    }

    public void ackLatency(long nanos) {
        ackLatency.observe(nanos / 1e9);
    }

    public void ack(AckStatus status, ErrorCode code) {
        acks.get(status).inc();
        if (code != ErrorCode.NONE) {
            errors.get(code).inc();
        }
    }

    public void error(ErrorCode code) {
        errors.get(code).inc();
    }

    public void goAway(GoAwayReason reason) {
        goAways.get(reason).inc();
    }
}
