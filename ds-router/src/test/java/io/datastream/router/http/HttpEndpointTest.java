package io.datastream.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The health and metrics endpoint answers while slow clients hold connections open (slow loris). */
class HttpEndpointTest {

    @Test
    void slowClientsBlockNeitherHealthNorMetrics() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        Counter.builder().name("ds_test_things").register(registry).inc(3);
        Health health = new Health(() -> false, () -> 0L, Long.MAX_VALUE);
        List<Socket> slow = new ArrayList<>();
        try (HttpEndpoint endpoint = HttpEndpoint.start("127.0.0.1", 0, registry, health, "test-http")) {
            // 50 clients that send the first bytes of a request and then nothing
            for (int i = 0; i < 50; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), endpoint.port());
                OutputStream out = s.getOutputStream();
                out.write("GET /hea".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(s);
            }
            HttpClient client = HttpClient.newHttpClient();
            // bounded waits (a liveness bound, not a speed check): a blocked endpoint never answers
            HttpResponse<String> h = get(client, endpoint, "/health");
            assertThat(h.statusCode()).isEqualTo(200);
            HttpResponse<String> m = get(client, endpoint, "/metrics");
            assertThat(m.statusCode()).isEqualTo(200);
            assertThat(m.body()).contains("ds_test_things_total 3.0");
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/health"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(get(client, endpoint, "/x").statusCode()).isEqualTo(404);
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    private static HttpResponse<String> get(HttpClient client, HttpEndpoint endpoint, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
