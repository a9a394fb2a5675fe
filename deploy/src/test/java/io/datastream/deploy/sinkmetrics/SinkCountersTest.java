package io.datastream.deploy.sinkmetrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.Test;

class SinkCountersTest {

    @Test
    void sumsSubtasksByNameAndLabelsAndKeepsTheCountsOfCountersThatWentAway() {
        SinkCounters counters = new SinkCounters();
        SimpleCounter a1 = new SimpleCounter();
        SimpleCounter a2 = new SimpleCounter();
        SimpleCounter b = new SimpleCounter();
        counters.add(a1, new SinkCounters.Series("ds_sink_task_lines_written_total", Map.of("task", "a")));
        counters.add(a2, new SinkCounters.Series("ds_sink_task_lines_written_total", Map.of("task", "a")));
        counters.add(b, new SinkCounters.Series("ds_sink_task_lines_written_total", Map.of("task", "b")));
        a1.inc(3);
        a2.inc(4);
        b.inc(10);
        assertThat(counters.sum("ds_sink_task_lines_written_total", Map.of("task", "a"))).isEqualTo(7);
        assertThat(counters.sum("ds_sink_task_lines_written_total", Map.of())).isEqualTo(17);
        assertThat(counters.labelValues("ds_sink_task_lines_written_total", "task")).containsExactly("a", "b");

        // a subtask restarts: its counter goes away and a new one starts at 0; the sum does not fall
        counters.remove(a1);
        SimpleCounter a1Again = new SimpleCounter();
        counters.add(a1Again, new SinkCounters.Series("ds_sink_task_lines_written_total", Map.of("task", "a")));
        a1Again.inc();
        assertThat(counters.sum("ds_sink_task_lines_written_total", Map.of("task", "a"))).isEqualTo(8);
        assertThat(counters.snapshot()).containsEntry(new SinkCounters.Series("ds_sink_task_lines_written_total", Map.of("task", "a")), 8L);
    }
}
