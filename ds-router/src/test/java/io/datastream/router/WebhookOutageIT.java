package io.datastream.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.datastream.embedded.kafka.EmbeddedKafka;
import io.datastream.router.sim.EventClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file channel drained by a Kafka sink and a webhook sink. The webhook target (a real local HTTP
 * server) goes down: Kafka keeps receiving, the webhook's failures are counted, the channel fills
 * up to its bound and the source answers 429; the target comes back on the same port, the webhook
 * catches up, there is room again, and every event answered 200 reached both sinks.
 */
class WebhookOutageIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final Set<String> webhookBodies = ConcurrentHashMap.newKeySet();

    private HttpServer target(int port) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        s.createContext("/hook", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            for (String line : body.split("\n")) {
                if (!line.isEmpty()) {
                    webhookBodies.add(JSON.readTree(line).get("body").asText());
                }
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        s.start();
        return s;
    }

    private static String metrics(Router router) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.httpPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double metric(String text, String nameAndLabels) {
        return text.lines().filter(l -> l.startsWith(nameAndLabels + " ")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElse(-1);
    }

    private static String request(String prefix, int n, List<String> bodies) {
        List<Map<String, String>> headers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String b = prefix + "-" + n + "-" + i + "-" + "x".repeat(1000);
            bodies.add(b);
            headers.add(Map.of());
        }
        return EventClient.jsonArray(headers, bodies);
    }

    @Test
    void aDownWebhookDoesNotStopKafkaThenFillsTheChannelTo429ThenCatchesUp() throws Exception {
        HttpServer hook = target(0);
        int hookPort = hook.getAddress().getPort();
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
            try (var admin = kafka.admin()) {
                admin.createTopics(List.of(new NewTopic("ds-events", 1, (short) 1))).all().get();
            }
            try (Router router = Router.start(RouterConfig.fromYaml("""
                    id: webhook-it
                    listen: {host: 127.0.0.1, port: 0}
                    http: {host: 127.0.0.1, port: 0}
                    drain: {timeoutMs: 2000}
                    kafka:
                      bootstrapServers: "%s"
                      properties: {linger.ms: "5"}
                    httpSource:
                      enabled: true
                      port: 0
                      channels:
                        - {name: events, type: file, dir: "%s", capacityBytes: 2097152, segmentBytes: 1048576}
                      sinks:
                        - {name: to-kafka, channel: events}
                        - {name: to-hook, channel: events, type: webhook, url: "http://127.0.0.1:%d/hook", retryBackoffMs: 50,
                           maxRetryBackoffMs: 400, timeoutMs: 2000}
                    """.formatted(kafka.bootstrapServers(), tmp.resolve("queue"), hookPort)))) {
                EventClient client = new EventClient(router.eventsPort());
                Set<String> ok = new HashSet<>();
                List<String> first = new ArrayList<>();
                assertThat(client.post(request("up", 0, first)).status()).isEqualTo(200);
                ok.addAll(first);
                await().atMost(Duration.ofSeconds(60)).until(() -> webhookBodies.containsAll(first));

                hook.stop(0);
                int n = 0;
                EventClient.Answer refused = null;
                while (refused == null) {
                    List<String> bodies = new ArrayList<>();
                    EventClient.Answer a = client.post(request("down", n++, bodies));
                    if (a.status() == 200) {
                        ok.addAll(bodies);
                    } else {
                        refused = a;
                    }
                    assertThat(n).as("the channel never filled").isLessThan(1000);
                }
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.retryAfter()).isNotNull();
                // Kafka kept flowing while the webhook was down
                Set<String> inKafka = kafkaBodies(kafka, ok);
                assertThat(inKafka).containsAll(ok);
                String m = metrics(router);
                assertThat(metric(m, "ds_router_sink_failures_total{sink=\"to-hook\"}")).isPositive();
                assertThat(metric(m, "ds_router_sink_lag_events{sink=\"to-hook\"}")).isPositive();
                assertThat(metric(m, "ds_router_channel_fill_ratio{channel=\"events\"}")).isGreaterThan(0.5);
                // /health stays 200 and says the same: the channel's fill, each sink's position and lag
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    io.datastream.router.sim.Http.Response h = io.datastream.router.sim.Http.get(router.httpPort(), "/health");
                    assertThat(h.status()).isEqualTo(200);
                    List<String> lines = h.body().lines().toList();
                    assertThat(lines.get(0)).isEqualTo("ok");
                    assertThat(lines).anyMatch(l -> l.matches("channel events: used \\d+ of 2097152 bytes \\(([5-9]\\d|100)\\.\\d%\\), end position \\d+, \\d+ events put"));
                    assertThat(lines).anyMatch(l -> l.matches("sink to-kafka \\(channel events\\): position \\d+, lag 0 events, 0 bytes"));
                    assertThat(lines).anyMatch(l -> l.matches("sink to-hook \\(channel events\\): position \\d+, lag [1-9]\\d* events, [1-9]\\d* bytes"));
                });

                HttpServer back = target(hookPort);
                try {
                    await().atMost(Duration.ofSeconds(120)).until(() -> webhookBodies.containsAll(ok));
                    List<String> after = new ArrayList<>();
                    await().atMost(Duration.ofSeconds(30)).until(() -> {
                        after.clear();
                        return client.post(request("back", 0, after)).status() == 200;
                    });
                    ok.addAll(after);
                    await().atMost(Duration.ofSeconds(60)).until(() -> webhookBodies.containsAll(after));
                    assertThat(kafkaBodies(kafka, ok)).containsAll(ok);
                    assertThat(metric(metrics(router), "ds_router_sink_dropped_events_total{reason=\"channel_full\",sink=\"to-hook\"}"))
                            .isZero();
                    System.out.printf("webhook outage: %d events answered 200, refused with 429 after %d requests%n", ok.size(), n);
                } finally {
                    back.stop(0);
                }
            }
        } finally {
            hook.stop(0);
        }
    }

    private static Set<String> kafkaBodies(EmbeddedKafka kafka, Set<String> expected) {
        var records = io.datastream.router.sim.KafkaRead.records(kafka.bootstrapServers(), "ds-events",
                new io.datastream.protocol.envelope.EnvelopeDeserializer(),
                l -> HttpSourceKafkaIT.lines(l).stream().map(HttpSourceKafkaIT.Read::body).collect(Collectors.toSet()).containsAll(expected),
                Duration.ofSeconds(120));
        return HttpSourceKafkaIT.lines(records).stream().map(HttpSourceKafkaIT.Read::body).collect(Collectors.toSet());
    }
}
