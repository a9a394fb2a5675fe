package io.datastream.agent.status;

import io.datastream.registry.member.DropReason;
import io.datastream.registry.member.TaskStatus;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The agent's Prometheus metrics (ds_agent_*), read from the latest {@link AgentStatus} at
 * scrape time, served on http.port (/metrics). Label values come from small sets: task ids and
 * file classes.
 */
public final class AgentMetrics implements AutoCloseable {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Supplier<AgentStatus> status;
    private HTTPServer server;

    public AgentMetrics(Supplier<AgentStatus> status) {
        this.status = status;
        taskCounter("ds_agent_lines_read", "Records cut from files", TaskStatus::linesRead);
        taskCounter("ds_agent_read_bytes", "Source bytes read (content and newlines)", TaskStatus::bytesRead);
        taskCounter("ds_agent_lines_acked", "Records acknowledged by routers (in Kafka)", TaskStatus::linesAcked);
        dropCounter("ds_agent_dropped_lines", "Records dropped, by reason (overLongLine: truncated records)",
                TaskStatus::droppedLinesByReason);
        dropCounter("ds_agent_dropped_bytes", "Bytes never sent, by reason: overLongLine, compressed, truncatedUnread, deletedUnread, "
                + "openFileLimit", TaskStatus::droppedBytesByReason);
        taskCounter("ds_agent_errors", "File errors, rejected batches and failed compressions", TaskStatus::errors);
        taskGauge("ds_agent_backlog_bytes", "Bytes in followed files not yet acknowledged", t -> t.backlogBytes());
        taskGauge("ds_agent_lag_seconds", "Age of the oldest data not yet acknowledged", t -> t.lagMillis() / 1000.0);
        taskGauge("ds_agent_task_parked", "1 while the task is parked after a rejected batch", t -> "parked".equals(t.state()) ? 1 : 0);
        perTaskCounter("ds_agent_batches_sent", "Batches written to routers, re-sends included", AgentStatus::batchesSent);
        perTaskCounter("ds_agent_batches_resent", "Batches sent again after RETRY_LATER, a disconnect or GOAWAY", AgentStatus::batchesResent);
        perTaskCounter("ds_agent_batches_rejected", "Batches rejected by a router", AgentStatus::batchesRejected);
        perTaskCounter("ds_agent_acked_bytes", "Source bytes acknowledged by routers", AgentStatus::bytesAcked);
        GaugeWithCallback.builder().name("ds_agent_files").help("Followed files by class").labelNames("task", "class")
                .callback(cb -> {
                    for (Map.Entry<String, Map<String, Integer>> e : status.get().files().entrySet()) {
                        for (Map.Entry<String, Integer> c : e.getValue().entrySet()) {
                            cb.call(c.getValue(), e.getKey(), c.getKey());
                        }
                    }
                }).register(registry);
        gauge("ds_agent_open_files", "File handles open", s -> s.openFiles());
        gauge("ds_agent_inflight_batches", "Batches sent and not yet acknowledged", s -> s.inFlightBatches());
        gauge("ds_agent_queued_batches", "Batches waiting to be sent", s -> s.queuedBatches());
        gauge("ds_agent_connected", "1 while connected to a router", s -> s.router() == null ? 0 : 1);
        CounterWithCallback.builder().name("ds_agent_reconnects").help("Router connections opened after the first")
                .callback(cb -> cb.call(status.get().reconnects())).register(registry);
        CounterWithCallback.builder().name("ds_agent_checkpoint_writes").help("Checkpoint files written")
                .callback(cb -> cb.call(status.get().checkpointWrites())).register(registry);
    }

    private void taskCounter(String name, String help, ToDoubleFunction<TaskStatus> value) {
        CounterWithCallback.builder().name(name).help(help).labelNames("task").callback(cb -> {
            for (Map.Entry<String, TaskStatus> e : status.get().tasks().entrySet()) {
                cb.call(value.applyAsDouble(e.getValue()), e.getKey());
            }
        }).register(registry);
    }

    /** A counter per task and {@link DropReason} (every reason, 0 when none): a bounded label set. */
    private void dropCounter(String name, String help, Function<TaskStatus, Map<String, Long>> byReason) {
        CounterWithCallback.builder().name(name).help(help).labelNames("task", "reason").callback(cb -> {
            for (Map.Entry<String, TaskStatus> e : status.get().tasks().entrySet()) {
                Map<String, Long> m = byReason.apply(e.getValue());
                for (DropReason r : DropReason.values()) {
                    cb.call(m.getOrDefault(r.wireName(), 0L), e.getKey(), r.wireName());
                }
            }
        }).register(registry);
    }

    private void taskGauge(String name, String help, ToDoubleFunction<TaskStatus> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("task").callback(cb -> {
            for (Map.Entry<String, TaskStatus> e : status.get().tasks().entrySet()) {
                cb.call(value.applyAsDouble(e.getValue()), e.getKey());
            }
        }).register(registry);
    }

    private void perTaskCounter(String name, String help, Function<AgentStatus, Map<String, Long>> values) {
        CounterWithCallback.builder().name(name).help(help).labelNames("task").callback(cb -> {
            for (Map.Entry<String, Long> e : values.apply(status.get()).entrySet()) {
                cb.call(e.getValue(), e.getKey());
            }
        }).register(registry);
    }

    private void gauge(String name, String help, ToDoubleFunction<AgentStatus> value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.applyAsDouble(status.get()))).register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /**
     * Serves /metrics, and /files (every followed file, as JSON from {@code files}) on {@code port}
     * (0 = any free port); returns the bound port.
     */
    public int serve(String host, int port, Supplier<?> files) throws IOException {
        server = HTTPServer.builder().hostname(host).port(port).registry(registry)
                .defaultHandler(new FilesHandler(files)).buildAndStart();
        return server.getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
