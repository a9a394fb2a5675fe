/**
 * Test support: a simulated agent ({@link io.datastream.router.sim.SimAgent}, Netty, credit,
 * ACK tracking and re-sends), a blocking wire-level client for protocol tests
 * ({@link io.datastream.router.sim.WireClient}), realistic batches
 * ({@link io.datastream.router.sim.SourceStream}) and Kafka read-back helpers.
 */
package io.datastream.router.sim;
