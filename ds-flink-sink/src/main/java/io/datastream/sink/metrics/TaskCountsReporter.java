package io.datastream.sink.metrics;

import java.util.Properties;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter that hands the sink's per-task counters to {@link TaskCounts}, in the
 * same JVM. For embedded MiniClusters only; enable it in the cluster's configuration:
 * <pre>
 * conf.setString("metrics.reporter.ds_tasks.factory.class", TaskCountsReporter.Factory.class.getName());
 * </pre>
 * On a Flink cluster, read the same counters through any reporter (Prometheus, JMX) or the REST
 * API instead.
 */
public final class TaskCountsReporter implements MetricReporter {
    /** The {@code metrics.reporter.<name>.factory.class} value. */
    public static final String FACTORY = Factory.class.getName();
    private static final String TASK_VARIABLE = "<" + TaskMetrics.TASK_VARIABLE + ">";
    private static final String PREFIX = "ds_sink_task_";

    @Override
    public void open(MetricConfig config) {
    }

    @Override
    public void close() {
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        String task = group.getAllVariables().get(TASK_VARIABLE);
        if (task != null && name.startsWith(PREFIX) && metric instanceof Counter) {
            TaskCounts.added(task, name, (Counter) metric);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        String task = group.getAllVariables().get(TASK_VARIABLE);
        if (task != null && name.startsWith(PREFIX) && metric instanceof Counter) {
            TaskCounts.removed(task, name, (Counter) metric);
        }
    }

    /** Found by Flink through {@code META-INF/services}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new TaskCountsReporter();
        }
    }
}
