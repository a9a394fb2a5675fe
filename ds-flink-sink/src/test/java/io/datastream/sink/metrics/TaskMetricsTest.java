package io.datastream.sink.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** One metric group per task id, bounded (on Flink's own no-op group; SinkJobIT reads the counters on a MiniCluster). */
class TaskMetricsTest {
    @Test
    void eachTaskHasItsOwnCountersUpToTheBoundThenTheOverflowGroup() {
        TaskMetrics<TaskCounters> m = TaskMetrics.lines(new UnregisteredMetricsGroup());
        TaskCounters web = m.of("web");
        assertThat(m.of("web")).isSameAs(web);
        assertThat(m.of("search")).isNotSameAs(web);
        for (int i = 2; i < TaskMetrics.MAX_TASKS; i++) {
            m.of("task-" + i);
        }
        TaskCounters overflow = m.of("one-too-many");
        assertThat(overflow).isNotSameAs(web);
        assertThat(m.of("and-another")).isSameAs(overflow);
        assertThat(m.of("web")).isSameAs(web);
    }
}
