package io.datastream.router.sink;

import io.datastream.protocol.codec.CodecSet;
import io.datastream.router.channel.ChannelRecord;
import io.datastream.router.event.EventFormat;
import io.datastream.router.event.MalformedEventException;

/**
 * A channel entry as JSON line(s) ({@code {"headers":{...},"body":"..."}}) for the file and webhook
 * sinks: an event, whatever the channel's format, or every line of an agent batch ({@link AgentBatches},
 * lines separated by {@code '\n'}). One per sink; one thread.
 */
public final class JsonLines {
    private final EventFormat format;
    private final boolean agentBatches;
    private CodecSet codecs;

    private JsonLines(EventFormat format, boolean agentBatches) {
        this.format = format;
        this.agentBatches = agentBatches;
    }

    /** The events of a channel of {@code format}. */
    public static JsonLines events(EventFormat format) {
        return new JsonLines(format, false);
    }

    /** The lines of the agent batches of a channel of {@code format: batches}. */
    public static JsonLines agentBatches() {
        return new JsonLines(EventFormat.BINARY, true);
    }

    byte[] of(ChannelRecord r, String channel) {
        if (agentBatches) {
            if (codecs == null) {
                codecs = new CodecSet();
            }
            return AgentBatches.jsonLines(r.data(), channel, codecs);
        }
        if (format == EventFormat.JSON) {
            return r.data();
        }
        try {
            return EventFormat.JSON.serializer().serialize(format.serializer().deserialize(r.data()));
        } catch (MalformedEventException e) {
            throw new IllegalStateException("channel " + channel + " holds an event that does not deserialize", e);
        }
    }

    /** Frees the decompressors (the sink's thread, when it ends). */
    void close() {
        if (codecs != null) {
            codecs.close();
            codecs = null;
        }
    }
}
