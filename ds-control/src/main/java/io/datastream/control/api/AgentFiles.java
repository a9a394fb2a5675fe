package io.datastream.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datastream.registry.member.AgentInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Fetches an agent's per-file status from its own HTTP port ({@code GET http://ADDRESS/files},
 * the address the agent publishes in ZooKeeper) when asked: per-file state is never stored in
 * ZooKeeper. Only that path, only GET, at most {@value #MAX_BYTES} bytes, within
 * {@link #TIMEOUT}; what comes back must be a JSON array. Thread-safe.
 */
final class AgentFiles {
    static final int MAX_BYTES = 16 << 20;
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** The agent's files, or an {@link ApiException} that says why not (409 no address, 502 unreachable or a bad answer). */
    JsonNode fetch(AgentInfo agent) {
        String address = agent.httpAddress();
        if (address == null || address.isBlank()) {
            throw new ApiException(409, "agent '" + agent.id() + "' publishes no HTTP address: its http.port is -1, or it is older than"
                    + " this control; per-file status needs the agent's http.port reachable from control");
        }
        URI uri;
        try {
            uri = URI.create("http://" + address + "/files");
            if (uri.getHost() == null || uri.getRawPath() == null || !uri.getRawPath().equals("/files") || uri.getRawQuery() != null) {
                throw new IllegalArgumentException("not host:port");
            }
        } catch (IllegalArgumentException e) {
            throw new ApiException(502, "agent '" + agent.id() + "' publishes an invalid HTTP address '" + address + "'");
        }
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                byte[] body = in.readNBytes(MAX_BYTES + 1);
                if (r.statusCode() != 200) {
                    throw new ApiException(502, "agent '" + agent.id() + "' at " + address + " answered " + r.statusCode() + " for /files");
                }
                if (body.length > MAX_BYTES) {
                    throw new ApiException(502, "agent '" + agent.id() + "' at " + address + " sent more than " + MAX_BYTES + " bytes of files");
                }
                JsonNode files = JSON.readTree(body);
                if (files == null || !files.isArray()) {
                    throw new ApiException(502, "agent '" + agent.id() + "' at " + address + " did not answer /files with a JSON array");
                }
                return files;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while asking agent '" + agent.id() + "'");
        } catch (IOException e) {
            throw new ApiException(502, "cannot reach agent '" + agent.id() + "' at " + address + " (its http.port, from control): "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }
}
