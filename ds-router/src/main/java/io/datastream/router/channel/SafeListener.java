package io.datastream.router.channel;

/**
 * Told once that a put's events are safe by the channel's guarantee (memory channel: every
 * consumer committed them, for a Kafka sink once Kafka acknowledged them). Called on the thread
 * that made them safe; must not block.
 */
@FunctionalInterface
public interface SafeListener {
    void safe();
}
