package io.datastream.router.sim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;

/** POSTs events to the router's HTTP source with the JDK's HTTP client (HTTP/1.1, keep-alive). */
public final class EventClient {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    /** Status and body of one answer, with its Retry-After header (or null). */
    public record Answer(int status, String body, String retryAfter) {
    }

    public EventClient(int port) {
        this.port = port;
    }

    /** A JSON array of {"headers": ..., "body": ...} objects. */
    public static String jsonArray(List<Map<String, String>> headers, List<String> bodies) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < bodies.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(json(headers.get(i), bodies.get(i)));
        }
        return b.append(']').toString();
    }

    public static String json(Map<String, String> headers, String body) {
        StringBuilder b = new StringBuilder("{\"headers\":{");
        int n = 0;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (n++ > 0) {
                b.append(',');
            }
            b.append('"').append(h.getKey()).append("\":\"").append(h.getValue()).append('"');
        }
        return b.append("},\"body\":\"").append(body).append("\"}").toString();
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public Answer post(String body) {
        return post("/v1/events", body.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"));
    }

    public Answer post(String path, byte[] body, Map<String, String> headers) {
        try {
            return async(path, body, headers).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    public CompletableFuture<Answer> async(String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Answer(r.statusCode(), r.body(), r.headers().firstValue("Retry-After").orElse(null)));
    }
}
