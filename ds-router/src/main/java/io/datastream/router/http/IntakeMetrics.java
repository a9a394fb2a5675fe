package io.datastream.router.http;

import io.datastream.router.channel.Channel;
import io.datastream.router.channel.ChannelConsumer;
import io.datastream.router.channel.ChannelRepair;
import io.datastream.router.report.RouterReports;
import io.datastream.router.source.Refusal;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The metrics of the HTTP intake, on the router's registry: {@code ds_router_http_*} for the
 * source, {@code ds_router_channel_*} per channel and {@code ds_router_sink_*} per sink. Labels
 * are channel and sink names from the configuration and {@link Refusal} labels: bounded sets.
 */
public final class IntakeMetrics {
    private final Counter requests;
    private final CounterDataPoint events;
    private final CounterDataPoint bytes;
    private final Map<Refusal, CounterDataPoint> refusals = new EnumMap<>(Refusal.class);
    private final Counter sinkEvents;
    private final Counter sinkBatches;
    private final Counter sinkFailures;
    private final Map<String, SinkCounters> sinks = new ConcurrentHashMap<>();
    /** Data points of the status codes the source answers with, by code (a small fixed set). */
    private final CounterDataPoint[] byStatus = new CounterDataPoint[600];
    private final RouterReports reports;
    /** The task of each sink's channel (its minute reports), by sink name. */
    private final Map<String, String> taskOfSink;

    /** The counters of one sink. */
    public record SinkCounters(CounterDataPoint events, CounterDataPoint batches, CounterDataPoint failures) {
    }

    /**
     * @param channels  the channels by name
     * @param consumers the sinks' consumers by sink name
     */
    public IntakeMetrics(PrometheusRegistry registry, Map<String, Channel> channels, Map<String, ChannelConsumer> consumers) {
        this(registry, channels, consumers, RouterReports.off(), Map.of());
    }

    /**
     * @param reports    the router's minute reports: each sink's finished events are counted there too
     * @param taskOfSink the task of each sink's channel, by sink name
     */
    public IntakeMetrics(PrometheusRegistry registry, Map<String, Channel> channels, Map<String, ChannelConsumer> consumers,
                         RouterReports reports, Map<String, String> taskOfSink) {
        this.reports = reports;
        this.taskOfSink = Map.copyOf(taskOfSink);
        requests = Counter.builder().name("ds_router_http_requests_total").help("HTTP requests answered by the event source, by status code")
                .labelNames("code").register(registry);
        events = Counter.builder().name("ds_router_http_events_total").help("events accepted (answered 200)").register(registry).labelValues();
        bytes = Counter.builder().name("ds_router_http_bytes_total").help("request body bytes received, as sent (compressed)")
                .register(registry).labelValues();
        for (int code : new int[] {200, 400, 401, 403, 404, 405, 408, 413, 415, 429, 431, 503}) {
            byStatus[code] = requests.labelValues(Integer.toString(code));
        }
        Counter refused = Counter.builder().name("ds_router_http_refusals_total").help("requests refused, by reason")
                .labelNames("reason").register(registry);
        for (Refusal r : Refusal.values()) {
            refusals.put(r, refused.labelValues(r.label()));
        }
        channelGauge(registry, channels, "ds_router_channel_used_bytes", "bytes held by the channel's events", Channel::usedBytes);
        channelGauge(registry, channels, "ds_router_channel_capacity_bytes", "capacity of the channel", Channel::capacityBytes);
        channelGauge(registry, channels, "ds_router_channel_fill_ratio", "used / capacity",
                c -> c.capacityBytes() == 0 ? 0 : (double) c.usedBytes() / c.capacityBytes());
        CounterWithCallback.builder().name("ds_router_channel_events_total").help("events put into the channel").labelNames("channel")
                .callback(cb -> channels.forEach((n, c) -> cb.call(c.putEvents(), n))).register(registry);
        GaugeWithCallback.builder().name("ds_router_sink_lag_events").help("events of the channel the sink has not committed")
                .labelNames("sink").callback(cb -> consumers.forEach((n, c) -> cb.call(c.lagEvents(), n))).register(registry);
        GaugeWithCallback.builder().name("ds_router_sink_lag_bytes").help("channel bytes (as JSON lines) the sink has not committed")
                .labelNames("sink").callback(cb -> consumers.forEach((n, c) -> cb.call(c.lagBytes(), n))).register(registry);
        CounterWithCallback.builder().name("ds_router_channel_repairs_total")
                .help("repairs a persistent channel made on open, by kind (torn_tail, bad_segment, bad_position)").labelNames("channel", "kind")
                .callback(cb -> channels.forEach((n, c) -> {
                    for (ChannelRepair r : ChannelRepair.values()) {
                        cb.call(c.repairs(r), n, r.label());
                    }
                })).register(registry);
        CounterWithCallback.builder().name("ds_router_channel_repaired_bytes_total").help("bytes cut off or deleted by those repairs")
                .labelNames("channel").callback(cb -> channels.forEach((n, c) -> cb.call(c.repairedBytes(), n))).register(registry);
        CounterWithCallback.builder().name("ds_router_channel_segment_failures_total")
                .help("times a file channel could not create a segment file (disk full); it answers 429 meanwhile").labelNames("channel")
                .callback(cb -> channels.forEach((n, c) -> cb.call(c.segmentFailures(), n))).register(registry);
        GaugeWithCallback.builder().name("ds_router_sink_position_bytes").help("the sink's committed position in its channel")
                .labelNames("sink").callback(cb -> consumers.forEach((n, c) -> cb.call(c.committedPosition(), n))).register(registry);
        CounterWithCallback.builder().name("ds_router_sink_dropped_events_total")
                .help("events dropped for a best-effort sink without being written, by reason").labelNames("sink", "reason")
                .callback(cb -> consumers.forEach((n, c) -> cb.call(c.droppedEvents(), n, "channel_full"))).register(registry);
        sinkEvents = Counter.builder().name("ds_router_sink_events_total").help("events the sink finished (for Kafka: acknowledged)")
                .labelNames("sink").register(registry);
        sinkBatches = Counter.builder().name("ds_router_sink_batches_total").help("records (DSB1 batches) the sink wrote").labelNames("sink")
                .register(registry);
        sinkFailures = Counter.builder().name("ds_router_sink_failures_total").help("writes that failed (the sink rewinds and writes again)")
                .labelNames("sink").register(registry);
    }

    private static void channelGauge(PrometheusRegistry registry, Map<String, Channel> channels, String name, String help,
                                     ToDoubleFunction<Channel> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("channel")
                .callback(cb -> channels.forEach((n, c) -> cb.call(value.applyAsDouble(c), n))).register(registry);
    }

    /** A request was answered with {@code status}. */
    public void answered(int status) {
        CounterDataPoint p = status >= 0 && status < byStatus.length ? byStatus[status] : null;
        (p != null ? p : requests.labelValues(Integer.toString(status))).inc();
    }

    public void received(long bodyBytes) {
        bytes.inc(bodyBytes);
    }

    public void accepted(int eventCount) {
        events.inc(eventCount);
    }

    public void refused(Refusal reason) {
        refusals.get(reason).inc();
    }

    /** The counters of sink {@code name}. */
    public SinkCounters sink(String name) {
        return sinks.computeIfAbsent(name, n -> {
            CounterDataPoint events = sinkEvents.labelValues(n);
            String task = taskOfSink.get(n);
            return new SinkCounters(task == null || !reports.on() ? events : new Reported(events, reports, task, n), sinkBatches.labelValues(n),
                    sinkFailures.labelValues(n));
        });
    }

    /** A sink's finished-events counter that also counts them in the router's minute reports (eventsWrittenBySink). */
    private record Reported(CounterDataPoint metric, RouterReports reports, String task, String sink) implements CounterDataPoint {
        @Override
        public void inc(double amount) {
            metric.inc(amount);
            reports.eventsWritten(task, sink, (long) amount);
        }

        @Override
        public void incWithExemplar(double amount, io.prometheus.metrics.model.snapshots.Labels labels) {
            metric.incWithExemplar(amount, labels);
            reports.eventsWritten(task, sink, (long) amount);
        }

        @Override
        public double get() {
            return metric.get();
        }

        @Override
        public long getLongValue() {
            return metric.getLongValue();
        }
    }
}
