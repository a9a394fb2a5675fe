package io.datastream.control.api;

import io.datastream.registry.member.RouterInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A router's Kafka acknowledgement latency, read when asked from the histogram on its own
 * {@code /metrics} ({@code ds_router_kafka_ack_latency_seconds}, at {@code host:httpPort} as the
 * router publishes them): the count, the sum and the cumulative buckets since the router started.
 * Routers do not put latency in ZooKeeper. At most {@value #MAX_BYTES} bytes of metrics are read.
 * Thread-safe.
 */
final class RouterLatency {
    static final int MAX_BYTES = 4 << 20;
    static final String METRIC = "ds_router_kafka_ack_latency_seconds";

    private final MemberHttp http = new MemberHttp();

    /** {"router", "count", "sumSeconds", "buckets": [{"le", "count"}]}, or an {@link ApiException} that says why not. */
    Map<String, Object> fetch(RouterInfo router) {
        String address = MemberHttp.routerAddress(router, "its Kafka latency is read from its /metrics");
        String who = "router '" + router.id() + "'";
        String text = new String(http.get(who, address, "/metrics", "metrics", MAX_BYTES), StandardCharsets.UTF_8);
        Map<String, Object> body = parse(text);
        if (body == null) {
            throw new ApiException(502, who + " at " + address + " has no " + METRIC + " histogram in its /metrics");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("router", router.id());
        out.putAll(body);
        return out;
    }

    /**
     * The histogram's samples from a Prometheus text exposition: {"count", "sumSeconds", "buckets"}
     * with the finite buckets in order ({@code +Inf} is the count), or null when it is not there.
     * Lines that do not parse are skipped.
     */
    static Map<String, Object> parse(String exposition) {
        Long count = null;
        Double sum = null;
        List<Map<String, Object>> buckets = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (!line.startsWith(METRIC + "_")) {
                continue;
            }
            String rest = line.substring(METRIC.length() + 1);
            try {
                if (rest.startsWith("count ")) {
                    count = (long) Double.parseDouble(value(rest.substring("count".length())));
                } else if (rest.startsWith("sum ")) {
                    sum = Double.parseDouble(value(rest.substring("sum".length())));
                } else if (rest.startsWith("bucket{")) {
                    int le = rest.indexOf("le=\"");
                    int end = le < 0 ? -1 : rest.indexOf('"', le + 4);
                    if (end < 0) {
                        continue;
                    }
                    String bound = rest.substring(le + 4, end);
                    if (!bound.equals("+Inf")) {
                        Map<String, Object> b = new LinkedHashMap<>();
                        b.put("le", Double.parseDouble(bound));
                        b.put("count", (long) Double.parseDouble(value(rest.substring(rest.indexOf('}') + 1))));
                        buckets.add(b);
                    }
                }
            } catch (NumberFormatException e) {
                // a sample that does not parse is left out
            }
        }
        if (count == null || sum == null) {
            return null;
        }
        buckets.sort((a, b) -> Double.compare((Double) a.get("le"), (Double) b.get("le")));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", count);
        m.put("sumSeconds", sum);
        m.put("buckets", buckets);
        return m;
    }

    /** The sample value: the first token after the name and labels (a timestamp may follow). */
    private static String value(String afterName) {
        return afterName.trim().split("\\s+")[0];
    }
}
