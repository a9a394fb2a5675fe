package io.datastream.router.source.internal;

import io.datastream.router.config.HttpSourceConfig;
import io.datastream.router.event.ClientEventIds;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;

/**
 * Who may send: with no tokens configured, loopback clients only (secure by default); otherwise a
 * bearer token ({@code Authorization: Bearer <token>}), compared in constant time, each allowed
 * a set of channels.
 */
final class Tokens {
    /**
     * A client allowed to write {@code channels} (null = every channel); {@code client} scopes its
     * event ids ({@link ClientEventIds#CLIENT}).
     */
    record Grant(Set<String> channels, String client) {
        /** Loopback clients when no tokens are configured. */
        static final Grant LOCAL = new Grant(null, ClientEventIds.LOCAL_CLIENT);

        boolean allows(String channel) {
            return channels == null || channels.contains(channel);
        }
    }

    private record Entry(byte[] token, Grant grant) {
    }

    private final List<Entry> entries;

    Tokens(List<HttpSourceConfig.TokenConfig> tokens) {
        this.entries = tokens.stream().map(t -> new Entry(t.token().getBytes(StandardCharsets.UTF_8),
                new Grant(t.channels().contains("*") ? null : Set.copyOf(t.channels()), t.clientName()))).toList();
    }

    boolean required() {
        return !entries.isEmpty();
    }

    /** The grant of an {@code Authorization} header value, or null when it names no token. */
    Grant check(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        Grant found = null;
        for (Entry e : entries) {
            // every entry is compared, so the time does not tell which one matched
            if (MessageDigest.isEqual(e.token(), given) && found == null) {
                found = e.grant();
            }
        }
        return found;
    }
}
