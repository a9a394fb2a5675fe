package io.datastream.router.server;

import io.datastream.protocol.ProtocolLimits;
import io.netty.handler.ssl.SslContext;

/**
 * What the server needs from the configuration.
 *
 * @param routerId            announced in WELCOME
 * @param heartbeatIntervalMs announced in WELCOME; HEARTBEAT after this long without writing
 * @param idleTimeoutMs       a connection that sends nothing for this long is closed (also the wait for HELLO)
 * @param maxBatchBytes       largest BATCH body, announced in WELCOME
 * @param limits              frame and batch limits
 * @param maxConnections      connections accepted at once
 * @param goAwayCloseAfterMs  a connection told to migrate is closed this long after GOAWAY (once idle)
 * @param sslContext          TLS, or null
 */
public record ServerSettings(String routerId, int heartbeatIntervalMs, long idleTimeoutMs, int maxBatchBytes,
                             ProtocolLimits limits, int maxConnections, long goAwayCloseAfterMs, SslContext sslContext) {
    /** Largest control frame accepted (a HELLO with every field at its maximum is about 85 KiB). */
    public static final int MAX_CONTROL_FRAME = 128 << 10;
}
