package io.datastream.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.router.sim.TestCerts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connection handling over HTTPS (the router's own certificate): pipelined requests answered in
 * order, idle connections closed, the connection limit, oversized headers, deflate bodies.
 */
class HttpSourceConnectionsIT {
    @TempDir
    static Path dir;
    private static Router router;
    private static SSLSocketFactory tls;

    @BeforeAll
    static void start() throws Exception {
        TestCerts certs = TestCerts.create(dir);
        tls = certs.socketFactory();
        router = Router.start(RouterConfig.fromYaml("""
                id: connections-it
                listen: {host: 127.0.0.1, port: 0}
                http: {host: 127.0.0.1, port: 0}
                drain: {timeoutMs: 1000}
                kafka: {bootstrapServers: "127.0.0.1:1"}
                tls: {enabled: true, certFile: "%s", keyFile: "%s"}
                httpSource:
                  enabled: true
                  port: 0
                  tls: true
                  limits: {idleTimeoutMs: 1000, maxConnections: 4}
                  sinks: [{name: discard, channel: events, type: discard}]
                """.formatted(certs.certFile(), certs.keyFile())));
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
    }

    private static SSLSocket connect() throws IOException {
        SSLSocket s = (SSLSocket) tls.createSocket("127.0.0.1", router.eventsPort());
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    private static byte[] request(byte[] body, String extraHeaders) {
        String head = "POST /v1/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + extraHeaders
                + "Content-Length: " + body.length + "\r\n\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** Reads one response: status line, headers, Content-Length bytes of body. */
    private static String response(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
        }
        String h = head.toString(StandardCharsets.US_ASCII);
        int i = h.toLowerCase().indexOf("content-length:");
        int length = Integer.parseInt(h.substring(i + 15, h.indexOf("\r\n", i)).trim());
        return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderOverTls() throws Exception {
        try (SSLSocket s = connect()) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 0; i < 3; i++) {
                all.writeBytes(request(("[" + "{\"body\":\"p\"},".repeat(i) + "{\"body\":\"last\"}]").getBytes(StandardCharsets.UTF_8), ""));
            }
            s.getOutputStream().write(all.toByteArray());
            s.getOutputStream().flush();
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                answers.add(response(s.getInputStream()));
            }
            assertThat(answers).extracting(a -> a.substring(a.indexOf("{"))).containsExactly("{\"accepted\":1}\n", "{\"accepted\":2}\n",
                    "{\"accepted\":3}\n");
            assertThat(answers).allSatisfy(a -> assertThat(a).startsWith("HTTP/1.1 200"));
        }
    }

    @Test
    void deflateBodiesAndOversizedHeaders() throws Exception {
        byte[] json = "[{\"body\":\"deflated\"}]".getBytes(StandardCharsets.UTF_8);
        Deflater d = new Deflater();
        d.setInput(json);
        d.finish();
        byte[] buf = new byte[256];
        int n = d.deflate(buf);
        d.end();
        try (SSLSocket s = connect()) {
            s.getOutputStream().write(request(java.util.Arrays.copyOf(buf, n), "Content-Encoding: deflate\r\n"));
            assertThat(response(s.getInputStream())).startsWith("HTTP/1.1 200").endsWith("{\"accepted\":1}\n");
        }
        try (SSLSocket s = connect()) {
            s.getOutputStream().write(request(json, "X-Big: " + "a".repeat(20_000) + "\r\n"));
            String answer = response(s.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 431").contains("headers_too_large");
            assertThat(s.getInputStream().read()).isEqualTo(-1); // closed
        }
    }

    @Test
    void aRequestPipelinedBehindARefusedOneIsNeverHandled() throws Exception {
        double before = eventsAccepted();
        try (SSLSocket s = connect()) {
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            // a body that expands past maxDecompressedBytes (16 MiB): refused by the aggregator, 413
            ByteArrayOutputStream bomb = new ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bomb)) {
                gz.write(new byte[20 << 20]);
            }
            both.writeBytes(request(bomb.toByteArray(), "Content-Encoding: gzip\r\n"));
            both.writeBytes(request("[{\"body\":\"behind\"}]".getBytes(StandardCharsets.UTF_8), ""));
            s.getOutputStream().write(both.toByteArray());
            s.getOutputStream().flush();
            assertThat(response(s.getInputStream())).startsWith("HTTP/1.1 413");
            assertThat(s.getInputStream().read()).as("nothing more is answered").isEqualTo(-1);
        }
        // the client saw no answer for the second request and would send it again: it must not have been taken
        assertThat(eventsAccepted()).isEqualTo(before);
    }

    private static double eventsAccepted() throws Exception {
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + router.httpPort() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith("ds_router_http_events_total ")).mapToDouble(l -> Double.parseDouble(l.split(" ")[1]))
                .findFirst().orElseThrow();
    }

    @Test
    void idleConnectionsAreClosedAndTheConnectionLimitHolds() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> router.eventPipeline().connectionCount() == 0);
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                open.add(connect());
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> router.eventPipeline().connectionCount() == 4);
            try (Socket fifth = tls.createSocket("127.0.0.1", router.eventsPort())) {
                fifth.setSoTimeout(10_000);
                boolean refused;
                try {
                    ((SSLSocket) fifth).startHandshake();
                    refused = fifth.getInputStream().read() == -1;
                } catch (IOException e) {
                    refused = true;
                }
                assertThat(refused).isTrue();
            }
            // nobody sends a request: after idleTimeoutMs every connection is closed by the router
            long start = System.nanoTime();
            for (Socket s : open) {
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(9));
            await().atMost(Duration.ofSeconds(5)).until(() -> router.eventPipeline().connectionCount() == 0);
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
