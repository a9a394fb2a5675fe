package io.datastream.router.channel;

/**
 * An event ready to be put into a channel.
 *
 * @param data       the event in the channel's format
 * @param lineLength its length as a JSON line (the channel's positions count these)
 */
public record StoredEvent(byte[] data, int lineLength) {
    /** Bytes a channel accounts for this event: its data and a fixed overhead per entry. */
    public long cost() {
        return data.length + 64L;
    }
}
