package io.datastream.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datastream.testkit.output.CommittedOutput;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads HDFS from the test JVM through the NameNode's WebHDFS REST API (the test JVM has no
 * Hadoop client: see integration-tests/pom.xml): directory listings and the sink's committed part
 * files. Reads follow the NameNode's redirect to a DataNode.
 */
public final class WebHdfs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** @param httpPort the NameNode's HTTP port */
    public WebHdfs(int httpPort) {
        this.httpPort = httpPort;
    }

    /** The entries of a directory (names), empty if it does not exist. */
    public List<String> list(String path) throws IOException {
        List<String> names = new ArrayList<>();
        for (JsonNode s : listStatus(path)) {
            names.add(s.path("pathSuffix").asText());
        }
        return names;
    }

    /**
     * The committed lines of the sink's output under {@code path}: its finished part files (the
     * names {@link CommittedOutput} accepts) copied into {@code mirror} (emptied first) and read there.
     */
    public List<String> committedLines(String path, Path mirror) throws IOException {
        if (Files.exists(mirror)) {
            try (Stream<Path> walk = Files.walk(mirror)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(mirror);
        copyCommitted(path, mirror);
        return CommittedOutput.lines(mirror);
    }

    /** The bytes and the number of the sink's committed part files under {@code path} (finished {@code .zst} files). */
    public long[] committedBytes(String path) throws IOException {
        long[] sum = new long[2];
        for (JsonNode s : listStatus(path)) {
            String name = s.path("pathSuffix").asText();
            if (name.startsWith(".") || name.startsWith("_")) {
                continue;
            }
            if (s.path("type").asText().equals("DIRECTORY")) {
                long[] sub = committedBytes(path + "/" + name);
                sum[0] += sub[0];
                sum[1] += sub[1];
            } else if (name.endsWith(".zst")) {
                sum[0] += s.path("length").asLong();
                sum[1]++;
            }
        }
        return sum;
    }

    private void copyCommitted(String path, Path local) throws IOException {
        for (JsonNode s : listStatus(path)) {
            String name = s.path("pathSuffix").asText();
            if (name.startsWith(".") || name.startsWith("_")) {
                continue; // in progress or pending: not committed
            }
            if (s.path("type").asText().equals("DIRECTORY")) {
                copyCommitted(path + "/" + name, Files.createDirectories(local.resolve(name)));
            } else if (name.endsWith(".zst")) {
                HttpResponse<InputStream> r = send(path + "/" + name, "OPEN", HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = r.body()) {
                    if (r.statusCode() != 200) {
                        throw new IOException("WebHDFS OPEN " + path + "/" + name + ": HTTP " + r.statusCode());
                    }
                    Files.copy(in, local.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** The NameNode's JMX beans matching {@code query} ({@code GET /jmx?qry=...}): {@code {"beans": [...]}}. */
    public JsonNode jmx(String query) throws IOException {
        URI uri = URI.create("http://localhost:" + httpPort + "/jmx?qry=" + query);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("GET /jmx?qry=" + query + ": HTTP " + r.statusCode());
            }
            return JSON.readTree(r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private JsonNode listStatus(String path) throws IOException {
        HttpResponse<String> r = send(path, "LISTSTATUS", HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            return JSON.createArrayNode();
        }
        if (r.statusCode() != 200) {
            throw new IOException("WebHDFS LISTSTATUS " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).path("FileStatuses").path("FileStatus");
    }

    private <T> HttpResponse<T> send(String path, String op, HttpResponse.BodyHandler<T> body) throws IOException {
        URI uri = URI.create("http://localhost:" + httpPort + "/webhdfs/v1" + path + "?op=" + op);
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(), body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
