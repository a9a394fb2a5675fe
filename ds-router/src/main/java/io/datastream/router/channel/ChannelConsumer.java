package io.datastream.router.channel;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A reader of one channel with its own position, used by one sink thread. It takes events,
 * then commits a position once everything before it is done (for a Kafka sink: acknowledged);
 * a failed sink rewinds to its committed position and reads the events again.
 */
public interface ChannelConsumer {
    String name();

    /**
     * The next events after the read position, at most {@code maxEvents} and about
     * {@code maxBytes} of data (at least one event when there is any); waits up to
     * {@code timeout} for the first. Empty when none came.
     */
    List<ChannelRecord> take(int maxEvents, long maxBytes, long timeout, TimeUnit unit) throws InterruptedException;

    /** Everything before {@code position} is done; the channel may drop it once every consumer is past it. */
    void commit(long position);

    /** The read position goes back to the committed position. */
    void rewind();

    long committedPosition();

    /** Events taken or not, but not committed yet. */
    long lagEvents();

    /** Virtual bytes (JSON line bytes) not committed yet. */
    long lagBytes();

    /**
     * Events dropped for this consumer without being taken: a best-effort consumer of a file-queue
     * channel that held the channel full (reason {@code channel_full}).
     */
    default long droppedEvents() {
        return 0;
    }
}
