/**
 * Channels: bounded buffers of events between the HTTP source and the sinks
 * ({@link io.datastream.router.channel.Channel}), each sink reading through its own
 * {@link io.datastream.router.channel.ChannelConsumer} at its own position. Positions are virtual
 * byte offsets in the stream of the channel's events as JSON lines; they are also the offsets of
 * the events' identities in Kafka. {@link io.datastream.router.channel.MemoryChannel} is bounded in
 * bytes and shares the router's memory pool.
 */
package io.datastream.router.channel;
