package io.datastream.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.router.sim.EventClient;
import io.datastream.router.sim.Http;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tokens, per-token channels and routing refusals, with discarding sinks (no Kafka needed). */
class HttpSourceTokensIT {
    private static Router router;

    @BeforeAll
    static void start() {
        router = Router.start(RouterConfig.fromYaml("""
                id: tokens-it
                listen: {host: 127.0.0.1, port: 0}
                http: {host: 127.0.0.1, port: 0}
                drain: {timeoutMs: 1000}
                kafka: {bootstrapServers: "127.0.0.1:1"}
                httpSource:
                  enabled: true
                  port: 0
                  tokens:
                    - {token: "all-channels-token"}
                    - {token: "jvm-only-token", channels: [jvm]}
                  channels: [{name: jvm}, {name: other}]
                  routes:
                    - {when: 'header.logType == "jvm"', channel: jvm}
                    - {when: 'header.logType == "other"', channel: other}
                  defaultChannel: ""
                  sinks: [{name: d-jvm, channel: jvm, type: discard}, {name: d-other, channel: other, type: discard}]
                """));
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
    }

    private static EventClient.Answer post(String token, List<Map<String, String>> headers) {
        Map<String, String> h = token == null ? Map.of("Content-Type", "application/json")
                : Map.of("Content-Type", "application/json", "Authorization", "Bearer " + token);
        List<String> bodies = headers.stream().map(x -> "b").toList();
        return new EventClient(router.eventsPort()).post("/v1/events", EventClient.jsonArray(headers, bodies).getBytes(StandardCharsets.UTF_8), h);
    }

    @Test
    void tokensDecideWhoMayWriteWhichChannel() {
        assertThat(post(null, List.of(Map.of("logType", "jvm")))).satisfies(a -> {
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.body()).contains("\"error\":\"unauthorized\"");
        });
        assertThat(post("wrong-token-000", List.of(Map.of("logType", "jvm"))).status()).isEqualTo(401);
        assertThat(post("jvm-only-token", List.of(Map.of("logType", "jvm"), Map.of("logType", "jvm"))).status()).isEqualTo(200);
        EventClient.Answer forbidden = post("jvm-only-token", List.of(Map.of("logType", "jvm"), Map.of("logType", "other")));
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.body()).contains("\"index\":1").contains("channel 'other'");
        assertThat(post("all-channels-token", List.of(Map.of("logType", "jvm"), Map.of("logType", "other"))).status()).isEqualTo(200);
        EventClient.Answer noRoute = post("all-channels-token", List.of(Map.of("logType", "jvm"), Map.of("logType", "web")));
        assertThat(noRoute.status()).isEqualTo(400);
        assertThat(noRoute.body()).contains("\"error\":\"no_route\"").contains("\"index\":1");
        await().atMost(Duration.ofSeconds(10)).until(() -> Http.metric(router.httpPort(), "ds_router_sink_events_total{sink=\"d-jvm\"}") >= 3);
        assertThat(Http.metric(router.httpPort(), "ds_router_sink_events_total{sink=\"d-other\"}")).isEqualTo(1);
        assertThat(Http.metric(router.httpPort(), "ds_router_http_refusals_total{reason=\"unauthorized\"}")).isEqualTo(2);
        assertThat(Http.metric(router.httpPort(), "ds_router_http_refusals_total{reason=\"forbidden\"}")).isEqualTo(1);
        assertThat(Http.metric(router.httpPort(), "ds_router_http_requests_total{code=\"401\"}")).isEqualTo(2);
    }

    @Test
    void keepAliveConnectionsCarryManyRequestsAndOtherMethodsAreRefused() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + router.eventsPort() + "/v1/events");
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer all-channels-token")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"headers\":{\"logType\":\"jvm\"},\"body\":\"" + i + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
        assertThat(router.eventPipeline().connectionCount()).isLessThanOrEqualTo(2);
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(uri).GET().header("Authorization", "Bearer all-channels-token").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    }
}
