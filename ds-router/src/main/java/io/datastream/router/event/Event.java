package io.datastream.router.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An event from an SDK: string headers (in the client's order) and a body of bytes. Immutable
 * by contract: the body array is not copied, so callers must not change it after construction.
 */
public record Event(Map<String, String> headers, byte[] body) {
    public Event {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
        Objects.requireNonNull(body, "body");
    }

    /** The value of header {@code name}, or null. */
    public String header(String name) {
        return headers.get(name);
    }
}
