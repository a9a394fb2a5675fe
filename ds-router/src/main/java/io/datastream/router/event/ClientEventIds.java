package io.datastream.router.event;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A client's own event id ({@value #EVENT_ID}) and the client it is scoped to
 * ({@value #CLIENT}, set by the router at intake, never by the client). An event that carries an
 * id is identified downstream by (the channel's task, client, id), so a client's re-send of it
 * (after a timeout, a 503, a lost connection, through any router) is recognised by the Flink
 * sink. Events without an id keep their intake identity (router, incarnation, channel, position).
 */
public final class ClientEventIds {
    /** The header of the client's event id. */
    public static final String EVENT_ID = "ds.eventId";
    /** The header the router sets on events with an id: the client (token) that sent them. */
    public static final String CLIENT = "ds.client";
    /** Most UTF-8 bytes of an event id. */
    public static final int MAX_EVENT_ID_BYTES = 128;
    /** The client of requests when no tokens are configured (loopback clients only). */
    public static final String LOCAL_CLIENT = "local";

    /** {@code "ds.eventId":} as the JSON serializer writes a header name: found in a JSON event only as that key. */
    private static final byte[] KEY = ("\"" + EVENT_ID + "\":").getBytes(StandardCharsets.US_ASCII);

    private ClientEventIds() {
    }

    /**
     * Whether an event serialized by {@link JsonEventSerializer} has the {@value #EVENT_ID} header.
     * Exact: {@code "ds.eventId":} whose first quote is not escaped (an even number of backslashes
     * before it) opens a string (a closing quote is never followed by a letter), and a string
     * followed by a colon is an object key; the only keys of an event are "headers", "body",
     * "bodyBase64" and header names. ({@code ClientEventIdsTest} checks this on random events.)
     */
    public static boolean inJson(byte[] json) {
        int last = json.length - KEY.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (json[i] != '"') {
                continue;
            }
            for (int j = 1; j < KEY.length; j++) {
                if (json[i + j] != KEY[j]) {
                    continue outer;
                }
            }
            int backslashes = 0;
            while (i - backslashes > 0 && json[i - backslashes - 1] == '\\') {
                backslashes++;
            }
            if (backslashes % 2 == 0) {
                return true;
            }
        }
        return false;
    }

    /** {@code event} with header {@value #CLIENT} set to {@code client} (added last). */
    public static Event withClient(Event event, String client) {
        Map<String, String> headers = new LinkedHashMap<>(event.headers());
        headers.put(CLIENT, client);
        return new Event(headers, event.body());
    }

    /** Why {@code id} is not a valid event id, or null when it is. */
    public static String problem(String id) {
        if (id.isEmpty()) {
            return "header " + EVENT_ID + " is empty";
        }
        int bytes = id.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_EVENT_ID_BYTES) {
            return "header " + EVENT_ID + " has " + bytes + " bytes, over the limit of " + MAX_EVENT_ID_BYTES;
        }
        return null;
    }
}
