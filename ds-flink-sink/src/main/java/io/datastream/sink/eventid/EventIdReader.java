package io.datastream.sink.eventid;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.netty.buffer.ByteBuf;
import java.io.IOException;

/**
 * Reads the client and event id of a router event line ({@code {"headers":{...},"body":...}},
 * untrusted bytes) and builds its key. Only the headers object is read; the body is not looked at
 * when the headers come first (as the router writes them). Never throws for bad bytes: the answer
 * is {@link #NONE} (no id) or {@link #UNREADABLE}. Single-threaded (one scratch buffer).
 */
public final class EventIdReader {
    /** Header of the client's event id (as the router names it). */
    public static final String EVENT_ID = "ds.eventId";
    /** Header of the client the router stamped on an event with an id. */
    public static final String CLIENT = "ds.client";
    /** Longest id (and client) in characters the sink keys by; the router allows 128 bytes. */
    public static final int MAX_ID_CHARS = 256;
    /** The line carries no event id. */
    public static final String NONE = "";
    /** The line should carry one but cannot be read (not a JSON event, a non-string or too long id). */
    public static final String UNREADABLE = "\u0000";

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).build())
            .build();

    private byte[] scratch = new byte[4096];

    /**
     * The key of the event in {@code length} bytes of {@code buf} at {@code index} for
     * {@code task}, or {@link #NONE} or {@link #UNREADABLE}.
     */
    public String read(String task, ByteBuf buf, int index, int length) {
        byte[] bytes;
        int offset;
        if (buf.hasArray()) {
            bytes = buf.array();
            offset = buf.arrayOffset() + index;
        } else {
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, scratch.length * 2)];
            }
            buf.getBytes(index, scratch, 0, length);
            bytes = scratch;
            offset = 0;
        }
        String client = null;
        String id = null;
        try (JsonParser p = JSON.createParser(bytes, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return UNREADABLE;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (!"headers".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                if (v != JsonToken.START_OBJECT) {
                    return UNREADABLE;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken hv = p.nextToken();
                    if (EVENT_ID.equals(name) || CLIENT.equals(name)) {
                        if (hv != JsonToken.VALUE_STRING || p.getTextLength() > MAX_ID_CHARS) {
                            return UNREADABLE;
                        }
                        if (EVENT_ID.equals(name)) {
                            id = p.getText();
                        } else {
                            client = p.getText();
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                break; // the id is in the headers: the body need not be read
            }
            if (t == null) {
                return UNREADABLE;
            }
        } catch (IOException | RuntimeException e) {
            return UNREADABLE;
        }
        if (id == null) {
            return NONE;
        }
        return key(task, client == null ? "" : client, id);
    }

    /** The key of an id: task and client length-prefixed, then the id, so that no two triples share one. */
    public static String key(String task, String client, String id) {
        return task.length() + ":" + task + client.length() + ":" + client + id;
    }
}
