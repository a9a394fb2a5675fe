package io.datastream.router.source.internal;

import io.datastream.router.event.Event;
import io.datastream.router.source.Refusal;
import java.util.List;

/**
 * What the request parser found: the events, or the first problem with the index of the event it
 * is in (-1 when it is not in one event).
 */
record ParsedRequest(List<Event> events, Refusal refusal, int index, String message) {
    static ParsedRequest ok(List<Event> events) {
        return new ParsedRequest(events, null, -1, "");
    }

    static ParsedRequest refused(Refusal refusal, int index, String message) {
        return new ParsedRequest(List.of(), refusal, index, message);
    }

    boolean isOk() {
        return refusal == null;
    }
}
