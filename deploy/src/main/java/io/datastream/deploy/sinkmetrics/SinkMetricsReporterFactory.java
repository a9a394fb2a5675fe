package io.datastream.deploy.sinkmetrics;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/** Flink finds the reporter through this factory (META-INF/services). */
public final class SinkMetricsReporterFactory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return new SinkMetricsReporter();
    }
}
