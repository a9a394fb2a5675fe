package io.datastream.deploy.sinkmetrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a {@link SinkCounters} snapshot into Prometheus counter snapshots, one family per name. */
final class SinkCollector implements MultiCollector {
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
}
