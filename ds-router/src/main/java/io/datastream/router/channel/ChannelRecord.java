package io.datastream.router.channel;

/**
 * One event in a channel, as a consumer takes it.
 *
 * @param position   the event's virtual byte position in the channel: its offset in the stream of
 *                   the channel's events as JSON lines (each {@code lineLength + 1} bytes)
 * @param data       the event serialized in the channel's {@link io.datastream.router.event.EventFormat}
 * @param lineLength length of the event as a JSON line
 * @param timeMillis  when the channel accepted it
 * @param incarnation the router start that put it (part of its identity, {@code EventIdentity})
 */
public record ChannelRecord(long position, byte[] data, int lineLength, long timeMillis, Incarnation incarnation) {
    /** The position just after this event. */
    public long nextPosition() {
        return position + lineLength + 1;
    }
}
