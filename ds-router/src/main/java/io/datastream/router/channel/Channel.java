package io.datastream.router.channel;

import io.datastream.router.event.EventFormat;
import java.util.List;

/**
 * A bounded buffer of events between sources and sinks. A put is two steps so that a request
 * spanning channels is accepted or refused whole: {@link #reserve} room in every channel, then
 * {@link #put} (or {@link #unreserve}). Each sink reads through its own {@link ChannelConsumer}
 * at its own position and commits what it has finished; a put is safe when the channel's
 * guarantee holds (in memory: every consumer committed it; a persistent channel: on disk).
 * Thread-safe.
 */
public interface Channel extends AutoCloseable {
    String name();

    /** How events are serialized in this channel. */
    EventFormat format();

    /** Reserves {@code bytes} (the sum of {@link StoredEvent#cost()}): OK, FULL or CLOSED. */
    PutResult reserve(long bytes);

    /** Returns a reservation that will not be used. */
    void unreserve(long bytes);

    /**
     * Appends {@code events} under a reservation of {@code reserved} bytes; {@code listener} is
     * told once when they are safe. Never blocks.
     */
    void put(List<StoredEvent> events, long reserved, SafeListener listener);

    /** A new consumer, reading from the oldest event the channel holds. Add consumers before the first put. */
    ChannelConsumer consumer(String name);

    long usedBytes();

    long capacityBytes();

    /** Events accepted since the channel started. */
    long putEvents();

    /** The position the next event will get. */
    long endPosition();

    /** Repairs of {@code kind} made when the channel opened (persistent channels; 0 in memory). */
    default long repairs(ChannelRepair kind) {
        return 0;
    }

    /** Bytes cut off or deleted by those repairs. */
    default long repairedBytes() {
        return 0;
    }

    /** Times a persistent channel could not create a segment file (disk full); 0 in memory. */
    default long segmentFailures() {
        return 0;
    }

    /** Whether the last attempt to create a segment file failed (the channel answers FULL meanwhile). */
    default boolean cannotCreateSegments() {
        return false;
    }

    /** Stops taking puts (reservations answer CLOSED); consumers still read what is there. */
    @Override
    void close();

    /**
     * After {@link #close()} and once the sinks stopped: persists what must survive (a file-queue
     * channel: the consumers' positions) and releases files and threads. Idempotent.
     */
    default void shutdown() {
    }
}
