/**
 * Shipping batches to routers over the ds protocol: one Netty connection on one event loop,
 * credit and a bounded window, acknowledgements that advance per-stream offsets contiguously,
 * re-sends after RETRY_LATER, disconnects and GOAWAY, parking on REJECTED, and router choice
 * (ZooKeeper with power of two choices, or a fixed list / HAProxy) with backoff and jitter.
 */
package io.datastream.agent.ship;
