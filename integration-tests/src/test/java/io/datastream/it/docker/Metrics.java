package io.datastream.it.docker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads Prometheus text from a container's mapped HTTP port. */
final class Metrics {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String text;

    private Metrics(String text) {
        this.text = text;
    }

    /** GET http://localhost:port/metrics; throws when it does not answer 200. */
    static Metrics scrape(int port) {
        return new Metrics(get(port, "/metrics", 200));
    }

    /** The HTTP status of GET path, or -1 when nothing answers. */
    static int status(int port, String path) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .timeout(Duration.ofSeconds(3)).build();
            return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String get(int port, String path, int expect) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != expect) {
                throw new IllegalStateException("GET " + path + " on port " + port + ": " + r.statusCode());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " on port " + port + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sum of the samples of {@code name} whose labels contain {@code labelFilter} (e.g.
     * {@code task="s1"}; empty = every sample); 0 when there is none.
     */
    double sum(String name, String labelFilter) {
        double total = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name)) {
                continue;
            }
            int sp = line.lastIndexOf(' ');
            String series = line.substring(0, sp);
            String metric = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
            if (!metric.equals(name) || (!labelFilter.isEmpty() && !series.contains(labelFilter))) {
                continue;
            }
            total += Double.parseDouble(line.substring(sp + 1));
        }
        return total;
    }

    long count(String name, String labelFilter) {
        return Math.round(sum(name, labelFilter));
    }
}
