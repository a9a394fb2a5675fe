package io.datastream.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.router.sim.Http;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The router-wide bound on request bodies in memory: many connections each send most of a large
 * body and hold; once the bodies being read would pass httpSource.limits.maxInFlightBodyBytes,
 * further requests are refused with 503 overloaded and Retry-After (counted), the connections
 * holding bytes are not affected, and the budget is given back when they finish.
 */
class HttpSourceMemoryIT {
    private static final int BUDGET = 1 << 20;
    private static final int LENGTH = 160_000;
    private static final int PART = 150_000;
    private static final int CONNECTIONS = 32;

    private static byte[] body() {
        byte[] b = new byte[LENGTH];
        Arrays.fill(b, (byte) 'x');
        byte[] head = "[{\"body\":\"".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\"}]".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, b, 0, head.length);
        System.arraycopy(tail, 0, b, LENGTH - tail.length, tail.length);
        return b;
    }

    private static String readAnswer(Socket s) throws IOException {
        s.setSoTimeout(20_000);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        StringBuilder sb = new StringBuilder();
        int n;
        while (!sb.toString().contains("}") && (n = in.read(buf)) > 0) {
            sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        }
        return sb.toString();
    }

    @Test
    void bodiesInFlightAreBoundedAcrossConnections() throws Exception {
        try (Router router = Router.start(RouterConfig.fromYaml("""
                id: memory-it
                listen: {host: 127.0.0.1, port: 0}
                http: {host: 127.0.0.1, port: 0}
                drain: {timeoutMs: 1000}
                kafka: {bootstrapServers: "127.0.0.1:1"}
                httpSource:
                  enabled: true
                  port: 0
                  limits: {maxBodyBytes: 262144, maxDecompressedBytes: 262144, maxInFlightBodyBytes: %d}
                  sinks: [{name: d, channel: events, type: discard}]
                """.formatted(BUDGET)))) {
            int http = router.httpPort();
            byte[] body = body();
            String head = "POST /v1/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: " + LENGTH + "\r\n\r\n";
            List<Socket> held = new ArrayList<>();
            List<Socket> refused = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    Socket s = new Socket("127.0.0.1", router.eventsPort());
                    OutputStream out = s.getOutputStream();
                    out.write(head.getBytes(StandardCharsets.US_ASCII));
                    out.write(body, 0, PART);
                    out.flush();
                    int heldBefore = held.size();
                    int refusedBefore = refused.size();
                    // the router has read this connection's part: it holds it, or refused the request
                    await().atMost(Duration.ofSeconds(20)).until(() ->
                            Http.metric(http, "ds_router_http_body_bytes_in_flight") == (double) (heldBefore + 1) * PART
                                    || Http.metric(http, "ds_router_http_refusals_total{reason=\"overloaded\"}") == refusedBefore + 1);
                    if (Http.metric(http, "ds_router_http_refusals_total{reason=\"overloaded\"}") == refusedBefore + 1) {
                        String answer = readAnswer(s);
                        assertThat(answer).startsWith("HTTP/1.1 503").containsIgnoringCase("Retry-After: 1").contains("\"error\":\"overloaded\"");
                        refused.add(s);
                    } else {
                        held.add(s);
                    }
                    assertThat(Http.metric(http, "ds_router_http_body_bytes_in_flight")).isLessThanOrEqualTo(BUDGET);
                }
                assertThat(held).hasSize(BUDGET / PART);
                assertThat(refused).hasSize(CONNECTIONS - BUDGET / PART);
                // the connections holding bytes finish their requests and are answered
                for (Socket s : held) {
                    s.getOutputStream().write(body, PART, LENGTH - PART);
                    s.getOutputStream().flush();
                }
                for (Socket s : held) {
                    assertThat(readAnswer(s)).startsWith("HTTP/1.1 200");
                }
                assertThat(Http.metric(http, "ds_router_http_body_bytes_in_flight")).isZero();
                assertThat(Http.metric(http, "ds_router_http_refusals_total{reason=\"overloaded\"}")).isEqualTo(refused.size());
                // and the budget is there again for new requests
                try (Socket s = new Socket("127.0.0.1", router.eventsPort())) {
                    s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().write(body);
                    s.getOutputStream().flush();
                    assertThat(readAnswer(s)).startsWith("HTTP/1.1 200");
                }
            } finally {
                for (Socket s : held) {
                    s.close();
                }
                for (Socket s : refused) {
                    s.close();
                }
            }
        }
    }
}
