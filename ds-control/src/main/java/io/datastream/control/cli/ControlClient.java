package io.datastream.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datastream.registry.task.FieldError;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A small client of the control REST API over Java's {@link HttpClient}; non-2xx answers become {@link CtlException}. */
final class ControlClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String base;
    private final String token;
    private final HttpClient http;

    ControlClient(String baseUrl, String token) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token == null || token.isEmpty() ? null : token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    JsonNode get(String path) throws CtlException {
        return send(request(path).GET());
    }

    JsonNode post(String path, byte[] json) throws CtlException {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(json)));
    }

    /** PUT; {@code ifMatch} null sends none (then the body must carry "version"). */
    JsonNode put(String path, byte[] json, Integer ifMatch) throws CtlException {
        HttpRequest.Builder b = request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofByteArray(json));
        if (ifMatch != null) {
            b.header("If-Match", "\"" + ifMatch + "\"");
        }
        return send(b);
    }

    /** DELETE without a version (resources that have none). */
    void delete(String path) throws CtlException {
        send(request(path).DELETE());
    }

    void delete(String path, int ifMatch) throws CtlException {
        send(request(path).header("If-Match", "\"" + ifMatch + "\"").DELETE());
    }

    /** {@code path?k=v&k=v} with the values URL-encoded; null values are left out. */
    static String query(String path, List<Map.Entry<String, String>> params) {
        StringBuilder b = new StringBuilder(path);
        char sep = '?';
        for (Map.Entry<String, String> p : params) {
            if (p.getValue() == null) {
                continue;
            }
            b.append(sep).append(p.getKey()).append('=').append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return b.toString();
    }

    static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String path) throws CtlException {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).header("Accept", "application/json");
        } catch (IllegalArgumentException e) {
            throw new CtlException("bad --url '" + base + "' (expected http://host:port): " + e.getMessage());
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private JsonNode send(HttpRequest.Builder builder) throws CtlException {
        HttpRequest req = builder.build();
        HttpResponse<byte[]> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new CtlException("cannot reach the control server at " + base + " (is `ds control` running? see --url)");
        } catch (HttpTimeoutException e) {
            throw new CtlException("the control server at " + base + " did not answer in time");
        } catch (IOException e) {
            throw new CtlException("request to " + req.uri() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException("interrupted");
        } catch (IllegalArgumentException e) {
            throw new CtlException("bad --url '" + base + "': " + e.getMessage());
        }
        JsonNode body = parse(resp.body());
        if (resp.statusCode() / 100 == 2) {
            return body;
        }
        String error = body != null && body.hasNonNull("error") ? body.get("error").asText() : "HTTP " + resp.statusCode();
        List<FieldError> fields = new ArrayList<>();
        if (body != null && body.has("fields") && body.get("fields").isArray()) {
            for (JsonNode f : body.get("fields")) {
                fields.add(new FieldError(f.path("field").asText(), f.path("message").asText()));
            }
        }
        throw new CtlException(resp.statusCode(), error, fields);
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
