package io.datastream.router.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.datastream.router.server.Connection;
import io.datastream.router.server.ConnectionSnapshot;
import io.datastream.router.server.Connections;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The body of {@code GET /connections}: the router's agent connections, each read on its own event
 * loop (never blocking the HTTP thread), sorted by agent id then remote address, at most
 * {@value #MAX_LISTED} listed; {@code total} says how many there are and {@code more} how many
 * were left out. A connection whose event loop does not answer within {@value #WAIT_MS} ms (or has
 * stopped) is counted in {@code unread} rather than listed.
 */
final class ConnectionList {
    static final int MAX_LISTED = 1000;
    static final long WAIT_MS = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connections connections;

    ConnectionList(Connections connections) {
        this.connections = connections;
    }

    /** The JSON body, completed once every connection answered or timed out. */
    CompletableFuture<byte[]> read() {
        List<Connection> all = connections.snapshot();
        List<CompletableFuture<ConnectionSnapshot>> asked = new ArrayList<>(all.size());
        for (Connection c : all) {
            asked.add(c.snapshot().completeOnTimeout(null, WAIT_MS, TimeUnit.MILLISECONDS).exceptionally(e -> null));
        }
        return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<ConnectionSnapshot> read = new ArrayList<>(asked.size());
            for (CompletableFuture<ConnectionSnapshot> f : asked) {
                ConnectionSnapshot s = f.join();
                if (s != null) {
                    read.add(s);
                }
            }
            return body(read, asked.size() - read.size());
        });
    }

    static byte[] body(List<ConnectionSnapshot> read, int unread) {
        List<ConnectionSnapshot> sorted = new ArrayList<>(read);
        sorted.sort(Comparator.comparing(ConnectionSnapshot::agentId).thenComparing(ConnectionSnapshot::remoteAddress));
        List<ConnectionSnapshot> listed = sorted.subList(0, Math.min(MAX_LISTED, sorted.size()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total", read.size() + unread);
        body.put("more", sorted.size() - listed.size());
        body.put("unread", unread);
        body.put("items", listed);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
