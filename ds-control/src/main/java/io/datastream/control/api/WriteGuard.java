package io.datastream.control.api;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may write (create, update, delete tasks). With a token configured, a write must carry
 * {@code Authorization: Bearer <token>} (compared in constant time), else 401. With no token,
 * writes are accepted only from loopback clients (403 otherwise), so a fresh install is not
 * writable from the network. Reads are open.
 */
final class WriteGuard {
    private final byte[] token;

    WriteGuard(String token) {
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    void check(Context ctx) {
        if (token == null) {
            if (!isLoopback(ctx.req().getRemoteAddr())) {
                throw new ApiException(403, "writes are accepted only from loopback clients when no auth.token is configured");
            }
            return;
        }
        String header = ctx.header("Authorization");
        byte[] given = null;
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        }
        if (given == null || !MessageDigest.isEqual(token, given)) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"datastream\"");
            throw new ApiException(401, given == null
                    ? "this write needs the API token: send 'Authorization: Bearer <token>'"
                    : "the API token is wrong");
        }
    }

    private static boolean isLoopback(String address) {
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
