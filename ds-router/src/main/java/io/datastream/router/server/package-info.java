/**
 * The ds protocol server: the Netty transport ({@link io.datastream.router.server.RouterServer},
 * epoll where available, else NIO), the per-connection pipeline
 * ({@link io.datastream.router.server.ServerInitializer}: TLS, idle detection, the credit
 * {@link io.datastream.router.server.FrameGate}, the frame decoder and encoder, and the
 * {@link io.datastream.router.server.ConnectionHandler}), the connection state
 * ({@link io.datastream.router.server.Connection}) and the path of a batch from its frame to the
 * Kafka sender ({@link io.datastream.router.server.BatchIntake}). All of a connection's state is
 * confined to its event loop; work coming from other threads (Kafka acknowledgements, credit
 * refills, go-away requests) hops onto it.
 */
package io.datastream.router.server;
