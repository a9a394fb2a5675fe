/**
 * The event of the HTTP intake: string headers and a body of bytes
 * ({@link io.datastream.router.event.Event}), and its serialized forms behind one small
 * interface ({@link io.datastream.router.event.EventSerializer}), chosen per channel by
 * {@link io.datastream.router.event.EventFormat}: JSON (also the record content in Kafka) and a
 * compact binary form.
 */
package io.datastream.router.event;
