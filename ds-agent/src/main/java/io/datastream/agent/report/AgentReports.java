package io.datastream.agent.report;

import io.datastream.agent.batch.BatchOutcomes;
import io.datastream.agent.batch.OutBatch;
import io.datastream.agent.status.AgentStatus;
import io.datastream.protocol.report.MinuteLedger;
import io.datastream.protocol.report.ReasonKind;
import io.datastream.protocol.report.ReportCount;
import io.datastream.protocol.report.ReportSender;
import io.datastream.protocol.report.ReportSettings;
import io.datastream.protocol.report.ReportSource;
import io.datastream.registry.member.TaskStatus;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Counts what the agent read, had acknowledged and dropped, per task and read minute, and pushes it
 * to control.
 *
 * <ul>
 *   <li><b>Read</b>: a batch's records and source bytes, counted when the tailer hands it over, in
 *       the minute of its creation time, which is the first (and last) event time written in its
 *       header: routers and the sink key their counts by the same minute. A line is counted as read
 *       once: a batch that reads lines again (after a discard, or after a restart below the
 *       checkpoint's counted offset) is not counted as read; the agent counts it in
 *       {@code ds_agent_lines_reread_total}.</li>
 *   <li><b>Acknowledged</b>: the same batch's records and bytes when a router acknowledges it OK,
 *       in the same minute.</li>
 *   <li><b>Discarded</b> batches (a parked task, a rewind, a stop before the acknowledgement) stay
 *       counted as read: their lines are read again, into new batches, as re-reads.</li>
 *   <li><b>After a restart</b> ({@link #restore}) the counts go on from those in the checkpoint, which
 *       the checkpointer keeps with the offsets they belong to: every minute of the checkpoint, and
 *       every minute from the checkpoint's last write to now, is reported again from those counts,
 *       replacing what the stopped process may have reported beyond its last checkpoint (those lines
 *       are read again and counted then).</li>
 *   <li><b>Dropped</b> lines and bytes (by reason), errors, backlog and read lag come from the
 *       agent's status at each push: the drops since the previous push are counted in the current
 *       minute, backlog and lag are the current minute's gauges.</li>
 * </ul>
 */
public final class AgentReports implements BatchOutcomes, AutoCloseable {
    private final MinuteLedger ledger;
    private final ReportSender sender;
    private final Supplier<AgentStatus> status;
    private final LongSupplier clock;
    /** Per task, the cumulative drop and error totals seen at the previous push (the sender's thread only). */
    private final Map<String, Totals> previous = new HashMap<>();

    private record Totals(long droppedLines, long droppedBytes, long errors, Map<String, Long> linesByReason) {
    }

    /**
     * @param agentId the agent's id, the report's source
     * @param status  the agent's current status (for drops, errors, backlog and lag)
     */
    public AgentReports(ReportSettings settings, String agentId, Supplier<AgentStatus> status, LongSupplier clock) {
        this.ledger = new MinuteLedger(settings.windowMinutes(), settings.maxCells());
        this.status = status;
        this.clock = clock;
        this.sender = new ReportSender(settings, ReportSource.AGENT, agentId, ledger, this::sample, clock);
    }

    public AgentReports start() {
        sender.start();
        return this;
    }

    /**
     * Seeds the ledger with the checkpoint's counts (before {@link #start}): each minute still in the
     * window, and every minute of {@code tasks} from the checkpoint's write to now (as zero when the
     * checkpoint has none), is reported again as the checkpoint has it.
     *
     * @param counts       the checkpoint's minute counts
     * @param writtenAtMillis when the checkpoint was written (0 = no checkpoint)
     * @param tasks        the tasks of the checkpoint's entries
     */
    public void restore(java.util.Collection<io.datastream.agent.checkpoint.MinuteCounts> counts, long writtenAtMillis,
                        java.util.Set<String> tasks) {
        long now = MinuteLedger.minuteOf(clock.getAsLong());
        long oldest = now - ledger.windowMinutes() + 1;
        for (io.datastream.agent.checkpoint.MinuteCounts c : counts) {
            if (c.minute() >= oldest && c.minute() <= now) {
                ledger.add(c.taskId(), c.minute(), ReportCount.LINES_READ, c.linesRead(), ReportCount.BYTES_READ, c.bytesRead());
                ledger.add(c.taskId(), c.minute(), ReportCount.LINES_ACKED, c.linesAcked(), ReportCount.BYTES_ACKED, c.bytesAcked());
            }
        }
        if (writtenAtMillis > 0) {
            java.util.Set<String> all = new java.util.TreeSet<>(tasks);
            counts.forEach(c -> all.add(c.taskId()));
            for (long m = Math.max(oldest, MinuteLedger.minuteOf(writtenAtMillis) - 1); m <= now; m++) {
                for (String task : all) {
                    ledger.add(task, m, ReportCount.LINES_READ, 0, ReportCount.BYTES_READ, 0); // a cell, sent even if zero
                }
            }
        }
    }

    /** The tailer built a batch (called before the shipper gets it); a re-read is not counted as read again. */
    public void read(OutBatch b) {
        if (b.reread()) {
            return;
        }
        ledger.add(b.taskId(), MinuteLedger.minuteOf(b.createdMillis()), ReportCount.LINES_READ, b.records(),
                ReportCount.BYTES_READ, b.endOffset() - b.startOffset());
    }

    @Override
    public void acked(OutBatch b) {
        ledger.add(b.taskId(), MinuteLedger.minuteOf(b.createdMillis()), ReportCount.LINES_ACKED, b.records(),
                ReportCount.BYTES_ACKED, b.endOffset() - b.startOffset());
    }

    @Override
    public void discarded(OutBatch b) {
        // its lines stay counted as read, in its minute: the batch that reads them again is a re-read
    }

    /** Before each push: drops and errors since the last one, and the gauges, into the current minute. */
    private void sample() {
        AgentStatus s = status.get();
        long minute = MinuteLedger.minuteOf(clock.getAsLong());
        for (Map.Entry<String, TaskStatus> e : s.tasks().entrySet()) {
            String task = e.getKey();
            TaskStatus t = e.getValue();
            Totals now = new Totals(t.droppedLines(), t.droppedBytes(), t.errors(), t.droppedLinesByReason());
            Totals before = previous.getOrDefault(task, new Totals(0, 0, 0, Map.of()));
            long dl = now.droppedLines() - before.droppedLines();
            long db = now.droppedBytes() - before.droppedBytes();
            if (dl > 0 || db > 0) {
                ledger.add(task, minute, ReportCount.LINES_DROPPED, Math.max(0, dl), ReportCount.BYTES_DROPPED, Math.max(0, db));
                for (Map.Entry<String, Long> r : now.linesByReason().entrySet()) {
                    long d = r.getValue() - before.linesByReason().getOrDefault(r.getKey(), 0L);
                    if (d > 0) {
                        ledger.addReason(task, minute, ReasonKind.DROPPED, r.getKey(), d);
                    }
                }
            }
            long de = now.errors() - before.errors();
            if (de > 0) {
                ledger.add(task, minute, ReportCount.ERRORS, de);
            }
            previous.put(task, now);
            ledger.gauges(task, minute, t.backlogBytes(), t.lagMillis());
        }
        previous.keySet().retainAll(s.tasks().keySet());
    }

    /** The reports' own counters on the agent's /metrics (ds_agent_report_*). */
    public void register(PrometheusRegistry registry) {
        counter(registry, "ds_agent_report_pushes", "Report POSTs to control", s -> s.pushes());
        counter(registry, "ds_agent_report_push_failures", "Report POSTs that failed (control unreachable or busy): retried",
                s -> s.pushesFailed());
        counter(registry, "ds_agent_report_minutes_sent", "Task minutes control acknowledged", s -> s.minutesSent());
        counter(registry, "ds_agent_report_minutes_dropped",
                "Task minutes never acknowledged: evicted from reports.windowMinutes unsent, or refused by control (400)",
                s -> s.ledger().minutesDropped() + s.minutesRejected());
        counter(registry, "ds_agent_report_counts_refused",
                "Counts not kept for a report: minute older than the window, reports.maxCells reached, or a task id control refuses",
                s -> s.ledger().refusedOld() + s.ledger().refusedFull() + s.ledger().refusedTaskId());
    }

    private void counter(PrometheusRegistry registry, String name, String help, java.util.function.ToDoubleFunction<ReportSender.Stats> f) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(f.applyAsDouble(sender.stats()))).register(registry);
    }

    public ReportSender.Stats stats() {
        return sender.stats();
    }

    /** Pushes what is pending once more and stops the thread (after the shipper stopped). */
    @Override
    public void close() {
        sender.close();
    }
}
