package io.datastream.control.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The router's latency histogram read back from the text the Prometheus library writes, as a router's /metrics serves it. */
class RouterLatencyTest {

    @Test
    void theHistogramIsReadFromATextExposition() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        // defined as the router defines it (RouterMetrics)
        Histogram h = Histogram.builder().name(RouterLatency.METRIC).help("time from handing a record to the producer to Kafka's acknowledgement")
                .classicOnly().classicUpperBounds(0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120)
                .register(registry);
        Counter.builder().name("ds_router_batches_out_total").help("other").register(registry).inc(5);
        h.observe(0.0015);
        h.observe(0.004);
        h.observe(0.004);
        h.observe(3);

        Map<String, Object> m = RouterLatency.parse(text(registry));
        assertThat(m).isNotNull();
        assertThat(m.get("count")).isEqualTo(4L);
        assertThat((Double) m.get("sumSeconds")).isCloseTo(3.0095, org.assertj.core.data.Offset.offset(1e-9));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> buckets = (List<Map<String, Object>>) m.get("buckets");
        assertThat(buckets).hasSize(16);
        assertThat(buckets.get(0)).isEqualTo(Map.of("le", 0.001, "count", 0L));
        assertThat(buckets.get(1)).isEqualTo(Map.of("le", 0.002, "count", 1L));
        assertThat(buckets.get(2)).isEqualTo(Map.of("le", 0.005, "count", 3L));
        assertThat(buckets.get(10)).isEqualTo(Map.of("le", 2.0, "count", 3L));
        assertThat(buckets.get(11)).isEqualTo(Map.of("le", 5.0, "count", 4L));
        assertThat(buckets.get(15)).isEqualTo(Map.of("le", 120.0, "count", 4L));
    }

    @Test
    void noHistogramOrGarbageIsNull() {
        assertThat(RouterLatency.parse("")).isNull();
        assertThat(RouterLatency.parse("ds_router_batches_out_total 5\n")).isNull();
        assertThat(RouterLatency.parse(RouterLatency.METRIC + "_count x\n" + RouterLatency.METRIC + "_sum 1\n")).isNull();
        // a bucket that does not parse is left out, the rest stands
        Map<String, Object> m = RouterLatency.parse(RouterLatency.METRIC + "_bucket{le=\"0.1\"} 2 1700000000000\n"
                + RouterLatency.METRIC + "_bucket{le=\"oops\"} 3\n" + RouterLatency.METRIC + "_bucket{le=\"+Inf\"} 3\n"
                + RouterLatency.METRIC + "_count 3\n" + RouterLatency.METRIC + "_sum 0.5\n");
        assertThat(m).isNotNull();
        assertThat(m.get("buckets")).isEqualTo(List.of(Map.of("le", 0.1, "count", 2L)));
    }

    private static String text(PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}
