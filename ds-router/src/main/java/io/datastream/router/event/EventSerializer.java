package io.datastream.router.event;

/**
 * Turns events into bytes and back; chosen per channel ({@link EventFormat}). Implementations
 * are stateless and thread-safe.
 */
public interface EventSerializer {
    EventFormat format();

    byte[] serialize(Event event);

    /** @throws MalformedEventException when {@code bytes} are not an event of this format */
    Event deserialize(byte[] bytes) throws MalformedEventException;
}
