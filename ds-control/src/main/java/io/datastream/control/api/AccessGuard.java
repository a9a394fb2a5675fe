package io.datastream.control.api;

import io.datastream.control.auth.Credentials;
import io.datastream.control.auth.Role;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may call a route, checked before the route does anything:
 * <ul>
 *   <li>No token configured: only loopback clients are served, and only when they address the
 *       API by a loopback name in {@code Host} (a page on another site that rebinds its DNS name
 *       to 127.0.0.1 sends its own name: refused). The actor is {@code loopback}.</li>
 *   <li>Tokens configured: {@code Authorization: Bearer <token>} is required (401), and the
 *       token's role must allow the call (403). The actor is the token's name.</li>
 *   <li>Writes: a body must be {@code application/json} (415: a browser form cannot send that
 *       without a CORS preflight), and a browser's {@code Origin}, when sent, must be the API's own
 *       or one of {@code auth.allowedOrigins} (403). The web console under {@code /ui} is served
 *       from the API's own origin, so its writes pass.</li>
 * </ul>
 */
final class AccessGuard {
    /** The actor recorded for an unauthenticated loopback client. */
    static final String LOOPBACK = "loopback";

    private final Credentials credentials;
    private final List<String> allowedOrigins;

    AccessGuard(Credentials credentials, List<String> allowedOrigins) {
        this.credentials = credentials;
        this.allowedOrigins = allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
    }

    /** Who made a call: the token's name (or {@code loopback}) and what it may do. */
    record Caller(String name, Role role) {
    }

    /** Checks a read; returns the caller. */
    Caller read(Context ctx) {
        return check(ctx, Role.READ);
    }

    /** Checks a write (its body, when it has one, must be JSON); returns the caller. */
    Caller write(Context ctx) {
        Caller actor = check(ctx, Role.WRITE);
        String method = ctx.method().name();
        if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            String type = ctx.header("Content-Type");
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                throw new ApiException(415, "a write must send its body as Content-Type: application/json"
                        + (type == null ? "" : " (was " + type + ")"));
            }
        }
        String origin = ctx.header("Origin");
        if (origin != null && !sameOrigin(origin, ctx.header("Host")) && !allowedOrigins.contains(origin.toLowerCase(Locale.ROOT))) {
            throw new ApiException(403, "a cross-site write from Origin " + origin + " is refused; add it to auth.allowedOrigins if it is yours");
        }
        return actor;
    }

    private Caller check(Context ctx, Role needed) {
        if (credentials.isEmpty()) {
            if (!isLoopbackAddress(ctx.req().getRemoteAddr())) {
                throw new ApiException(403, "with no auth tokens configured only loopback clients are served;"
                        + " configure auth.tokens to serve the network");
            }
            String host = ctx.header("Host");
            if (!isLoopbackHost(host)) {
                throw new ApiException(403, "with no auth tokens configured the API answers only requests addressed to"
                        + " localhost, 127.0.0.1 or [::1], not Host " + host);
            }
            return new Caller(LOOPBACK, Role.ADMIN);
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"datastream\"");
            throw new ApiException(401, "this call needs an API token: send 'Authorization: Bearer <token>' (ds ctl: DS_TOKEN or --token-file)");
        }
        Optional<Credentials.Credential> c = credentials.match(header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
        if (c.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"datastream\", error=\"invalid_token\"");
            throw new ApiException(401, "the API token is wrong");
        }
        if (!c.get().role().allows(needed)) {
            throw new ApiException(403, "token '" + c.get().name() + "' has role " + c.get().role().configName()
                    + "; this call needs " + needed.configName());
        }
        return new Caller(c.get().name(), c.get().role());
    }

    /** Whether {@code origin} (scheme://host[:port]) names the host the request was sent to. */
    private static boolean sameOrigin(String origin, String host) {
        if (host == null) {
            return false;
        }
        try {
            URI u = URI.create(origin);
            if (u.getHost() == null) {
                return false;
            }
            String authority = u.getPort() == -1 ? u.getHost() : u.getHost() + ":" + u.getPort();
            return authority.equalsIgnoreCase(host) || (u.getPort() == -1 && host.equalsIgnoreCase(u.getHost() + ":80")
                    && "http".equalsIgnoreCase(u.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static boolean isLoopbackHost(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && h.substring(1, end).equals("::1") && (end == h.length() - 1 || h.charAt(end + 1) == ':');
        }
        int colon = h.lastIndexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        return name.equals("localhost") || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private static boolean isLoopbackAddress(String address) {
        if (address == null) {
            return false;
        }
        try {
            // an IP literal from the socket: no name lookup happens
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
