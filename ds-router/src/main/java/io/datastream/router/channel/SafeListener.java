package io.datastream.router.channel;

/**
 * Told once that a put's events are safe by the channel's guarantee (memory channel: every
 * consumer committed them, for a Kafka sink once Kafka acknowledged them), or that the channel
 * could not store them all. Called on the thread that made them safe; must not block.
 */
@FunctionalInterface
public interface SafeListener {
    void safe();

    /**
     * Instead of {@link #safe()}: the channel could not store all the events (a file-queue channel
     * that could not create a segment file: disk full). Those it stored before stay and reach the
     * sinks. The default does nothing (a caller that never sees {@code safe()} times out).
     */
    default void notStored() {
    }
}
