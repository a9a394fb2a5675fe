package io.datastream.router.sink;

import java.time.Duration;

/**
 * A consumer of one channel with its own thread and its own position
 * ({@link io.datastream.router.channel.ChannelConsumer}): it takes events, writes them somewhere
 * and commits what is done. One slow or failing sink holds only its own position.
 */
public interface Sink extends AutoCloseable {
    String name();

    /** The channel it reads. */
    String channel();

    /** Starts its thread; returns this. */
    Sink start();

    /** Events taken from the channel but not committed yet. */
    long lagEvents();

    /** Stops its thread, waiting up to {@code timeout} for what is in flight. */
    void close(Duration timeout);

    @Override
    default void close() {
        close(Duration.ZERO);
    }
}
