package io.datastream.router.report;

import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.batch.Batch;
import io.datastream.protocol.report.MinuteLedger;
import io.datastream.protocol.report.ReasonKind;
import io.datastream.protocol.report.ReportCount;
import io.datastream.protocol.report.ReportSender;
import io.datastream.protocol.report.ReportSettings;
import io.datastream.protocol.report.ReportSource;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Counts, per task and read minute, what the router wrote to Kafka and what it refused, and pushes
 * it to control. The read minute is the minute of the batch's first event time (the agent writes
 * the time it read the lines there), so the router's minute lines up with the agent's.
 *
 * <ul>
 *   <li><b>batchesIn / linesIn / bytesIn</b>: every batch that arrived and parsed, re-sends included.</li>
 *   <li><b>linesToKafka / bytesToKafka</b>: records and source bytes (end offset minus start
 *       offset) of batches Kafka acknowledged, counted once per acknowledgement: a batch the agent
 *       re-sends after a lost ACK is in Kafka twice and counted twice.</li>
 *   <li><b>linesRefused</b> with <b>refusedByReason</b> (the error code): batches answered
 *       RETRY_LATER or REJECTED after they were parsed (routing, memory pool, Kafka). A batch that
 *       does not parse has no trustworthy task id: it is only in the router's
 *       {@code ds_router_errors_total}.</li>
 * </ul>
 * Events of the HTTP source ({@code POST /v1/events}) have no agent and no read time: they are
 * counted under the task of the channel they were routed to ({@code httpSource.channels[].task},
 * the task id their batches carry in Kafka), in the minute of this router's clock:
 * <ul>
 *   <li><b>eventsAccepted</b>: events of requests answered 200, in the minute the request was
 *       handled.</li>
 *   <li><b>eventsRefused</b> with <b>eventsRefusedByReason</b> (the refusal's label, as in
 *       {@code ds_router_http_refusals_total}): events of requests refused after every event was
 *       routed to a channel (channel full or closed, not safe in time). Requests refused before
 *       that (malformed, unauthorized, no route, ...) have no task: they are only in the
 *       router's metrics.</li>
 *   <li><b>eventsWrittenBySink</b>: events each channel sink finished (for Kafka: acknowledged),
 *       by sink name, in the minute the sink finished them.</li>
 * </ul>
 * Called from the event loops, the sinks' threads and the Kafka senders' callbacks; {@link #off()}
 * counts nothing.
 */
public final class RouterReports implements AutoCloseable {
    private static final RouterReports OFF = new RouterReports(null, null, System::currentTimeMillis);

    private final MinuteLedger ledger;
    private final ReportSender sender;
    private final LongSupplier wallClock;

    private RouterReports(MinuteLedger ledger, ReportSender sender, LongSupplier wallClock) {
        this.ledger = ledger;
        this.sender = sender;
        this.wallClock = wallClock;
    }

    /** Reports that count nothing and send nothing. */
    public static RouterReports off() {
        return OFF;
    }

    /** Reports of router {@code routerId}, or {@link #off()} when {@code settings} is off. */
    public static RouterReports create(ReportSettings settings, String routerId, LongSupplier wallClock) {
        if (!settings.enabled()) {
            return OFF;
        }
        MinuteLedger ledger = new MinuteLedger(settings.windowMinutes(), settings.maxCells());
        return new RouterReports(ledger, new ReportSender(settings, ReportSource.ROUTER, routerId, ledger, () -> { }, wallClock), wallClock);
    }

    public RouterReports start() {
        if (sender != null) {
            sender.start();
        }
        return this;
    }

    /** The read minute of a batch. */
    public static long readMinute(Batch b) {
        return MinuteLedger.minuteOf(b.firstEventTime());
    }

    /** A batch arrived and parsed: counted in, whatever becomes of it. */
    public void received(Batch b) {
        if (ledger == null) {
            return;
        }
        String task = b.taskId();
        long minute = readMinute(b);
        ledger.add(task, minute, ReportCount.BATCHES_IN, 1, ReportCount.LINES_IN, b.recordCount());
        ledger.add(task, minute, ReportCount.BYTES_IN, b.endOffset() - b.startOffset());
    }

    /** A parsed batch was refused before it reached a Kafka sender. */
    public void refused(Batch b, ErrorCode code) {
        refused(b.taskId(), readMinute(b), b.recordCount(), code);
    }

    /** A batch's lines were refused (answered RETRY_LATER or REJECTED with {@code code}). */
    public void refused(String task, long minute, int records, ErrorCode code) {
        if (ledger == null) {
            return;
        }
        ledger.add(task, minute, ReportCount.LINES_REFUSED, records);
        ledger.addReason(task, minute, ReasonKind.REFUSED, code.name(), records);
    }

    /** Kafka acknowledged a batch's records. */
    public void toKafka(String task, long minute, int records, long sourceBytes) {
        if (ledger == null) {
            return;
        }
        ledger.add(task, minute, ReportCount.LINES_TO_KAFKA, records, ReportCount.BYTES_TO_KAFKA, sourceBytes);
    }

    /** The current minute of the router's clock (the minute HTTP events are counted in). */
    public long nowMinute() {
        return MinuteLedger.minuteOf(wallClock.getAsLong());
    }

    /** The HTTP source accepted {@code events} events of {@code task} (answered 200). */
    public void eventsAccepted(String task, long minute, long events) {
        if (ledger != null) {
            ledger.add(task, minute, ReportCount.EVENTS_ACCEPTED, events);
        }
    }

    /** The HTTP source refused a request holding {@code events} events of {@code task}, for {@code reason}. */
    public void eventsRefused(String task, long minute, long events, String reason) {
        if (ledger != null) {
            ledger.add(task, minute, ReportCount.EVENTS_REFUSED, events);
            ledger.addReason(task, minute, ReasonKind.EVENTS_REFUSED, reason, events);
        }
    }

    /** Channel sink {@code sink} finished {@code events} events of {@code task} now. */
    public void eventsWritten(String task, String sink, long events) {
        if (ledger != null) {
            ledger.addReason(task, nowMinute(), ReasonKind.EVENTS_WRITTEN, sink, events);
        }
    }

    /** The minutes waiting for control's acknowledgement, oldest first (empty when off). */
    public java.util.List<MinuteLedger.Entry> pending() {
        return ledger == null ? java.util.List.of() : ledger.pending();
    }

    /** Whether anything is counted. */
    public boolean on() {
        return ledger != null;
    }

    /** The reports' own counters on the router's /metrics (ds_router_report_*); nothing when off. */
    public void register(PrometheusRegistry registry) {
        if (sender == null) {
            return;
        }
        counter(registry, "ds_router_report_pushes", "Report POSTs to control", s -> s.pushes());
        counter(registry, "ds_router_report_push_failures", "Report POSTs that failed (control unreachable or busy): retried",
                s -> s.pushesFailed());
        counter(registry, "ds_router_report_minutes_sent", "Task minutes control acknowledged", s -> s.minutesSent());
        counter(registry, "ds_router_report_minutes_dropped",
                "Task minutes never acknowledged: evicted from reports.windowMinutes unsent, or refused by control (400)",
                s -> s.ledger().minutesDropped() + s.minutesRejected());
        counter(registry, "ds_router_report_counts_refused",
                "Counts not kept for a report: minute older than the window, reports.maxCells reached, or a task id control refuses",
                s -> s.ledger().refusedOld() + s.ledger().refusedFull() + s.ledger().refusedTaskId());
    }

    private void counter(PrometheusRegistry registry, String name, String help, ToDoubleFunction<ReportSender.Stats> f) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(f.applyAsDouble(sender.stats()))).register(registry);
    }

    /** The sender's counts, or null when off. */
    public ReportSender.Stats stats() {
        return sender == null ? null : sender.stats();
    }

    /** Pushes what is pending once more (after the Kafka senders stopped) and stops. */
    @Override
    public void close() {
        if (sender != null) {
            sender.close();
        }
    }
}
