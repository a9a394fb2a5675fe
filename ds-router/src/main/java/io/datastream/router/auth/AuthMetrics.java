package io.datastream.router.auth;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.Map;

/** {@code ds_router_auth_refusals_total{reason}}: connections and batches refused, by {@link Refusal}. */
public final class AuthMetrics {
    private final Map<Refusal, CounterDataPoint> refusals = new EnumMap<>(Refusal.class);

    public AuthMetrics(PrometheusRegistry registry) {
        Counter c = Counter.builder().name("ds_router_auth_refusals_total")
                .help("agent connections and batches refused by TLS, authentication or authorization, by reason")
                .labelNames("reason").register(registry);
        for (Refusal r : Refusal.values()) {
            refusals.put(r, c.labelValues(r.label()));
        }
    }

    public void refused(Refusal reason) {
        refusals.get(reason).inc();
    }

    /** The count for one reason (tests, status). */
    public long count(Refusal reason) {
        return (long) refusals.get(reason).get();
    }
}
