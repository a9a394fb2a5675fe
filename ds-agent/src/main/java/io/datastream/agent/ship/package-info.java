/**
 * Shipping batches to routers over the ds protocol: one Netty connection on one event loop,
 * credit and a bounded window, re-sends after RETRY_LATER, disconnects and GOAWAY, and router
 * choice (ZooKeeper with power of two choices, or a fixed list / HAProxy) with backoff and
 * jitter. What happens to each batch and stream (acknowledged offsets, parks, rewinds) is the
 * {@link io.datastream.agent.ledger.StreamLedger}'s, on the same event loop.
 */
package io.datastream.agent.ship;
