package io.datastream.deploy.sinkmetrics;

import io.datastream.sink.report.SinkReports;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link SinkCounters} snapshot into Prometheus counter snapshots, one family per name,
 * plus the minute reports' own losses ({@link SinkReports}): counts and latencies the operators
 * could not keep for the reports to control.
 */
final class SinkCollector implements MultiCollector {
    /** (task, minute) counts an operator did not keep for the minute reports (too many held uncommitted). */
    static final String REPORT_COUNTS_NOT_KEPT = "ds_sink_report_counts_not_kept_total";
    /** Committed lines reported without a latency (an operator held read times for too many task minutes). */
    static final String REPORT_LATENCIES_NOT_KEPT = "ds_sink_report_latencies_not_kept_total";
    private final SinkCounters counters;

    SinkCollector(SinkCounters counters) {
        this.counters = counters;
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, List<CounterSnapshot.CounterDataPointSnapshot>> families = new LinkedHashMap<>();
        for (Map.Entry<SinkCounters.Series, Long> e : counters.snapshot().entrySet()) {
            SinkCounters.Series s = e.getKey();
            Labels.Builder labels = Labels.builder();
            s.labels().forEach(labels::label);
            families.computeIfAbsent(s.name(), n -> new ArrayList<>()).add(CounterSnapshot.CounterDataPointSnapshot.builder()
                    .labels(labels.build()).value(e.getValue()).build());
        }
        families.put(REPORT_COUNTS_NOT_KEPT, List.of(point(SinkReports.overflow())));
        families.put(REPORT_LATENCIES_NOT_KEPT, List.of(point(SinkReports.latencyOverflow())));
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        for (Map.Entry<String, List<CounterSnapshot.CounterDataPointSnapshot>> f : families.entrySet()) {
            // the client library appends _total itself
            String name = f.getKey().endsWith("_total") ? f.getKey().substring(0, f.getKey().length() - 6) : f.getKey();
            CounterSnapshot.Builder b = CounterSnapshot.builder().name(name);
            f.getValue().forEach(b::dataPoint);
            out.metricSnapshot(b.build());
        }
        return out.build();
    }

    private static CounterSnapshot.CounterDataPointSnapshot point(long value) {
        return CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.EMPTY).value(value).build();
    }
}
