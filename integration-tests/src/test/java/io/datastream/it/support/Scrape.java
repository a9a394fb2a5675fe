package io.datastream.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Reads a component's Prometheus /metrics and its /health over HTTP on loopback. */
public final class Scrape {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Scrape() {
    }

    /**
     * The value of the sample {@code name} whose labels include every entry of {@code labels},
     * summed over the samples that match; 0 when there is none (a counter never incremented).
     *
     * @throws IOException when the endpoint cannot be read
     */
    public static double value(int httpPort, String name, Map<String, String> labels) throws IOException {
        double sum = 0;
        for (String line : get(httpPort, "/metrics").body().split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String key = line.substring(0, space);
            int brace = key.indexOf('{');
            String metric = brace < 0 ? key : key.substring(0, brace);
            if (!metric.equals(name)) {
                continue;
            }
            boolean all = true;
            for (Map.Entry<String, String> l : labels.entrySet()) {
                all &= brace >= 0 && key.contains(l.getKey() + "=\"" + l.getValue() + "\"");
            }
            if (all) {
                sum += Double.parseDouble(line.substring(space + 1));
            }
        }
        return sum;
    }

    /** The value of an unlabelled sample (see {@link #value(int, String, Map)}). */
    public static double value(int httpPort, String name) throws IOException {
        return value(httpPort, name, Map.of());
    }

    /** The status code of GET /health, or -1 when nothing answers. */
    public static int health(int httpPort) {
        try {
            return get(httpPort, "/health").statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private static HttpResponse<String> get(int port, String path) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
