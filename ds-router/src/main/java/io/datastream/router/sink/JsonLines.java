package io.datastream.router.sink;

import io.datastream.router.channel.ChannelRecord;
import io.datastream.router.event.EventFormat;
import io.datastream.router.event.MalformedEventException;

/** An event of a channel as its JSON line ({@code {"headers":{...},"body":"..."}}), whatever the channel's format. */
final class JsonLines {
    private JsonLines() {
    }

    static byte[] of(ChannelRecord r, EventFormat format, String channel) {
        if (format == EventFormat.JSON) {
            return r.data();
        }
        try {
            return EventFormat.JSON.serializer().serialize(format.serializer().deserialize(r.data()));
        } catch (MalformedEventException e) {
            throw new IllegalStateException("channel " + channel + " holds an event that does not deserialize", e);
        }
    }
}
