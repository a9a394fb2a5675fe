package io.datastream.router.source.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.datastream.router.config.HttpSourceLimitsConfig;
import io.datastream.router.event.Event;
import io.datastream.router.event.Utf8;
import io.datastream.router.source.Refusal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the events of a request body (untrusted bytes): a JSON array or a sequence of JSON
 * objects (NDJSON) of {@code {"headers": {"k": "v"}, "body": "text"}}, or {@code text/plain}
 * lines, each line the body of one event and the headers from the query string. Every limit is
 * checked while reading, so a body of a billion tiny events stops at the first one over
 * the limit. Never throws for bad input: the answer is a {@link ParsedRequest}.
 */
public final class RequestParser {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(64 << 20).build())
            .build();

    private final HttpSourceLimitsConfig limits;

    public RequestParser(HttpSourceLimitsConfig limits) {
        this.limits = limits;
    }

    /** Reads a JSON array or NDJSON body. Does not release {@code body}. */
    ParsedRequest json(ByteBuf body) {
        List<Event> events = new ArrayList<>();
        try (JsonParser p = JSON.createParser((java.io.InputStream) new ByteBufInputStream(body.duplicate()))) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return ParsedRequest.refused(Refusal.MALFORMED, -1, "the body holds no events");
            }
            boolean array = t == JsonToken.START_ARRAY;
            if (array) {
                t = p.nextToken();
            }
            while (t != null && !(array && t == JsonToken.END_ARRAY)) {
                int index = events.size();
                if (index >= limits.maxEventsPerRequest()) {
                    return ParsedRequest.refused(Refusal.TOO_MANY_EVENTS, index,
                            "more than " + limits.maxEventsPerRequest() + " events in one request");
                }
                if (t != JsonToken.START_OBJECT) {
                    return ParsedRequest.refused(Refusal.BAD_EVENT, index, "event " + index + " is not a JSON object");
                }
                ParsedRequest bad = readEvent(p, index, events);
                if (bad != null) {
                    return bad;
                }
                t = p.nextToken();
            }
            if (array && p.nextToken() != null) {
                return ParsedRequest.refused(Refusal.MALFORMED, events.size(), "content after the end of the JSON array");
            }
            if (events.isEmpty()) {
                return ParsedRequest.refused(Refusal.MALFORMED, -1, "the body holds no events");
            }
            return ParsedRequest.ok(events);
        } catch (JsonProcessingException e) {
            return ParsedRequest.refused(Refusal.MALFORMED, events.size(), "event " + events.size() + ": malformed JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException | RuntimeException e) {
            return ParsedRequest.refused(Refusal.MALFORMED, events.size(), "event " + events.size() + ": unreadable body: " + firstLine(e.getMessage()));
        }
    }

    private ParsedRequest readEvent(JsonParser p, int index, List<Event> out) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        byte[] body = null;
        boolean sawHeaders = false;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "headers" -> {
                    if (sawHeaders) {
                        return bad(index, "\"headers\" appears twice");
                    }
                    sawHeaders = true;
                    if (v != JsonToken.START_OBJECT) {
                        return bad(index, "\"headers\" must be an object of strings");
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        if (p.nextToken() != JsonToken.VALUE_STRING) {
                            return bad(index, "header '" + clip(name) + "' must be a string");
                        }
                        String problem = header(name, p.getText(), headers);
                        if (problem != null) {
                            return bad(index, problem);
                        }
                    }
                }
                case "body" -> {
                    if (body != null) {
                        return bad(index, "\"body\" appears twice");
                    }
                    if (v != JsonToken.VALUE_STRING) {
                        return bad(index, "\"body\" must be a string");
                    }
                    String text = p.getText();
                    if (!isWellFormed(text)) {
                        return bad(index, "\"body\" is not valid Unicode (a lone surrogate)");
                    }
                    body = text.getBytes(StandardCharsets.UTF_8);
                }
                default -> {
                    return bad(index, "unknown field '" + clip(field) + "' (an event has \"headers\" and \"body\")");
                }
            }
        }
        if (t != JsonToken.END_OBJECT) {
            return ParsedRequest.refused(Refusal.MALFORMED, index, "event " + index + ": malformed JSON");
        }
        out.add(new Event(headers, body == null ? new byte[0] : body));
        return null;
    }

    /** Adds a header after checking it; returns the problem, or null. */
    private String header(String name, String value, Map<String, String> headers) {
        if (headers.size() >= limits.maxHeadersPerEvent()) {
            return "more than " + limits.maxHeadersPerEvent() + " headers";
        }
        if (name.isEmpty()) {
            return "a header name is empty";
        }
        if (!isWellFormed(name) || !isWellFormed(value)) {
            return "header '" + clip(name) + "' is not valid Unicode (a lone surrogate)";
        }
        int bytes = utf8Length(name) + utf8Length(value);
        if (bytes > limits.maxHeaderBytes()) {
            return "header '" + clip(name) + "' has " + bytes + " bytes, over the limit of " + limits.maxHeaderBytes();
        }
        if (headers.put(name, value) != null) {
            return "header '" + clip(name) + "' appears twice";
        }
        return null;
    }

    /**
     * Reads a text/plain body: one event per line ({@code \n} or {@code \r\n}; empty lines are
     * skipped), each with the headers {@code query} gives. Does not release {@code body}.
     */
    ParsedRequest text(ByteBuf body, String rawQuery) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                byte[] name = percentDecode(eq < 0 ? pair : pair.substring(0, eq));
                byte[] value = percentDecode(eq < 0 ? "" : pair.substring(eq + 1));
                if (name == null || value == null || !Utf8.isValid(name) || !Utf8.isValid(value)) {
                    return ParsedRequest.refused(Refusal.BAD_EVENT, -1, "query parameter '" + clip(pair) + "' is not valid percent-encoded UTF-8");
                }
                String problem = header(new String(name, StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8), headers);
                if (problem != null) {
                    return ParsedRequest.refused(Refusal.BAD_EVENT, -1, "query headers: " + problem);
                }
            }
        }
        List<Event> events = new ArrayList<>();
        int from = body.readerIndex();
        int end = body.writerIndex();
        while (from < end) {
            int nl = body.indexOf(from, end, (byte) '\n');
            int lineEnd = nl < 0 ? end : nl;
            int contentEnd = lineEnd > from && body.getByte(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
            if (contentEnd > from) {
                if (events.size() >= limits.maxEventsPerRequest()) {
                    return ParsedRequest.refused(Refusal.TOO_MANY_EVENTS, events.size(),
                            "more than " + limits.maxEventsPerRequest() + " events in one request");
                }
                byte[] line = new byte[contentEnd - from];
                body.getBytes(from, line);
                events.add(new Event(headers, line));
            }
            from = lineEnd + 1;
        }
        if (events.isEmpty()) {
            return ParsedRequest.refused(Refusal.MALFORMED, -1, "the body holds no events");
        }
        return ParsedRequest.ok(events);
    }

    private static ParsedRequest bad(int index, String message) {
        return ParsedRequest.refused(Refusal.BAD_EVENT, index, "event " + index + ": " + message);
    }

    /** Percent-decodes ('+' is a space); null when an escape is broken. */
    static byte[] percentDecode(String s) {
        byte[] in = s.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[in.length];
        int n = 0;
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '+') {
                out[n++] = ' ';
            } else if (b == '%') {
                if (i + 2 >= in.length) {
                    return null;
                }
                int hi = Character.digit(in[i + 1], 16);
                int lo = Character.digit(in[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else {
                out[n++] = b;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int cut = s.indexOf('\n');
        return clip(cut < 0 ? s : s.substring(0, cut));
    }

    /** At most 100 characters of client text in a message. */
    static String clip(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }
}
