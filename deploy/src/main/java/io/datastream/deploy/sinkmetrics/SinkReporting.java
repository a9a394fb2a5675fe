package io.datastream.deploy.sinkmetrics;

import io.datastream.protocol.report.MinuteLedger;
import io.datastream.protocol.report.ReportSender;
import io.datastream.protocol.report.ReportSettings;
import io.datastream.protocol.report.ReportSource;
import io.datastream.sink.report.SinkReports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink job's minute reports: installs this JVM's {@link SinkReports} ledger (the job's
 * operators count committed lines, duplicates, dead letters and time fallbacks per task and read
 * minute into it when a checkpoint completes) and pushes it to control with one thread,
 * {@code ds-sink-reports}. Close it after the job stopped (its stop-with-savepoint commits and
 * counts the last files), and before control stops.
 */
public final class SinkReporting implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SinkReporting.class);
    private final ReportSender sender;

    private SinkReporting(ReportSender sender) {
        this.sender = sender;
    }

    /** Installs the ledger and starts pushing as sink {@code sinkId}. */
    public static SinkReporting start(ReportSettings settings, String sinkId) {
        MinuteLedger ledger = new MinuteLedger(settings.windowMinutes(), settings.maxCells());
        SinkReports.install(ledger);
        return new SinkReporting(new ReportSender(settings, ReportSource.SINK, sinkId, ledger, () -> { },
                System::currentTimeMillis).start());
    }

    public ReportSender.Stats stats() {
        return sender.stats();
    }

    @Override
    public void close() {
        sender.close();
        if (SinkReports.overflow() > 0 || SinkReports.latencyOverflow() > 0) {
            LOG.warn("sink reports: {} counts not kept (an operator held too many uncommitted task minutes), {} committed lines"
                    + " without a latency (too many task minutes with read times)", SinkReports.overflow(), SinkReports.latencyOverflow());
        }
        SinkReports.install(null);
    }
}
