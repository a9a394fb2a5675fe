package io.datastream.router.server;

/**
 * One agent connection as it stands, read on its event loop (for the router's {@code /connections}).
 *
 * @param agentId         the agent's id from HELLO ("" before it)
 * @param host            the agent's host name from HELLO
 * @param remoteAddress   the peer's address as the socket sees it
 * @param credential      who HELLO authenticated as: {@code open}, {@code shared-token} or the agent credential's name
 * @param tls             the connection is encrypted
 * @param state           {@code AWAIT_HELLO}, {@code OPEN}, {@code GOING_AWAY} or {@code CLOSED}
 * @param openedAtMillis  when the connection was accepted (the router's clock)
 * @param batches         batches accepted for Kafka on this connection
 * @param bytesIn         BATCH body bytes received
 * @param bytesFinished   BATCH body bytes answered (ACK): their credit is given back
 * @param creditLimit     the credit granted so far (bytes; the agent may send up to this in all)
 * @param inFlight        batches accepted and not yet answered
 */
public record ConnectionSnapshot(String agentId, String host, String remoteAddress, String credential, boolean tls, String state,
                                 long openedAtMillis, long batches, long bytesIn, long bytesFinished, long creditLimit, int inFlight) {
}
