package io.datastream.deploy.sinkmetrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink metric reporter for the sink job in this JVM: keeps its {@code ds_sink_*} counters in
 * {@link SinkCounters#JVM} with their {@code task} and {@code reason} labels (Flink's own scope
 * variables, unbounded ones like the subtask index among them, are left out and the subtasks
 * summed), and, when {@code port} is set, serves them in the Prometheus text format on
 * {@code host:port/metrics} (host default 127.0.0.1). Configured as reporter {@code ds} by
 * {@link #configure}.
 */
public final class SinkMetricsReporter implements MetricReporter {
    private static final Logger LOG = LoggerFactory.getLogger(SinkMetricsReporter.class);
    /** The labels kept: the sink's own, from small bounded sets. */
    static final Set<String> LABELS = Set.of("task", "reason");
    static final String PREFIX = "ds_sink_";

    private final SinkCounters counters;
    private HTTPServer server;

    public SinkMetricsReporter() {
        this(SinkCounters.JVM);
    }

    SinkMetricsReporter(SinkCounters counters) {
        this.counters = counters;
    }

    /**
     * Sets the Flink options that install this reporter as {@code ds}; with {@code port > 0} it
     * also serves {@code /metrics} on {@code host:port}.
     */
    public static void configure(org.apache.flink.configuration.Configuration conf, String host, int port) {
        conf.setString("metrics.reporter.ds.factory.class", SinkMetricsReporterFactory.class.getName());
        if (port > 0) {
            conf.setString("metrics.reporter.ds.host", host);
            conf.setString("metrics.reporter.ds.port", Integer.toString(port));
        }
    }

    @Override
    public void open(MetricConfig config) {
        int port = config.getInteger("port", 0);
        if (port <= 0) {
            return;
        }
        String host = config.getString("host", "127.0.0.1");
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new SinkCollector(counters));
        try {
            server = HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
            LOG.info("sink metrics on http://{}:{}/metrics", host, port);
        } catch (IOException e) {
            throw new UncheckedIOException("sink metrics: cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "); choose another with --metrics-port", e);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (metric instanceof Counter c && name.startsWith(PREFIX)) {
            counters.add(c, new SinkCounters.Series(name, labels(group)));
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        if (metric instanceof Counter c) {
            counters.remove(c);
        }
    }

    /** The group's user variables among {@link #LABELS}; Flink writes variables as {@code <name>}. */
    static Map<String, String> labels(MetricGroup group) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, String> v : group.getAllVariables().entrySet()) {
            String k = v.getKey();
            if (k.length() > 2 && k.charAt(0) == '<' && k.charAt(k.length() - 1) == '>') {
                k = k.substring(1, k.length() - 1);
            }
            if (LABELS.contains(k)) {
                labels.put(k, v.getValue());
            }
        }
        return labels;
    }
}
