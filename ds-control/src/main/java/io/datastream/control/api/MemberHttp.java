package io.datastream.control.api;

import io.datastream.registry.member.RouterInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A GET of one fixed path on a member's own HTTP port (an agent's {@code /files}, a router's
 * {@code /metrics} and {@code /connections}), at the address the member publishes in ZooKeeper: only that path, no query,
 * no redirects, at most {@code maxBytes}, within {@link #TIMEOUT}. Every failure is an
 * {@link ApiException} naming the member and what went wrong (502 unreachable or a bad answer).
 * Thread-safe.
 */
final class MemberHttp {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** The router's {@code host:httpPort}, or a 409 when it publishes no HTTP port ({@code why}: what needs it). */
    static String routerAddress(RouterInfo router, String why) {
        if (router.httpPort() <= 0) {
            throw new ApiException(409, "router '" + router.id() + "' publishes no HTTP port (its http endpoint is off); " + why);
        }
        return router.host() + ":" + router.httpPort();
    }

    /**
     * @param who      "agent 'a-1'", for messages
     * @param address  host:port as published
     * @param path     the fixed path, e.g. "/files"
     * @param what     what the body is, for messages ("files")
     * @param maxBytes largest body accepted
     */
    byte[] get(String who, String address, String path, String what, int maxBytes) {
        URI uri;
        try {
            uri = URI.create("http://" + address + path);
            if (uri.getHost() == null || uri.getRawPath() == null || !uri.getRawPath().equals(path) || uri.getRawQuery() != null) {
                throw new IllegalArgumentException("not host:port");
            }
        } catch (IllegalArgumentException e) {
            throw new ApiException(502, who + " publishes an invalid HTTP address '" + address + "'");
        }
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                byte[] body = in.readNBytes(maxBytes + 1);
                if (r.statusCode() != 200) {
                    throw new ApiException(502, who + " at " + address + " answered " + r.statusCode() + " for " + path);
                }
                if (body.length > maxBytes) {
                    throw new ApiException(502, who + " at " + address + " sent more than " + maxBytes + " bytes of " + what);
                }
                return body;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while asking " + who);
        } catch (IOException e) {
            throw new ApiException(502, "cannot reach " + who + " at " + address + " (its HTTP port, from control): "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }
}
