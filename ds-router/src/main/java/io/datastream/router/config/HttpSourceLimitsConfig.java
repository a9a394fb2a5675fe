package io.datastream.router.config;

import io.datastream.config.Doc;

/**
 * {@code httpSource.limits.*}: what one request may hold and how long it may take.
 */
public record HttpSourceLimitsConfig(
        @Doc("request body as sent (compressed or not); more: 413")
        Integer maxBodyBytes,
        @Doc("request body after Content-Encoding; more: 413")
        Integer maxDecompressedBytes,
        @Doc("events per request; more: 413")
        Integer maxEventsPerRequest,
        @Doc("one event as a JSON line; more: 400")
        Integer maxEventBytes,
        @Doc("headers per event; more: 400")
        Integer maxHeadersPerEvent,
        @Doc("one header's name + value (UTF-8); more: 400")
        Integer maxHeaderBytes,
        @Doc("request line to end of body; slower: 408, closed")
        Long requestTimeoutMs,
        @Doc("keep-alive connection without a request: closed")
        Long idleTimeoutMs,
        @Doc("longest wait for the events to be safe; then 503 (they may still be delivered)")
        Long ackTimeoutMs,
        @Doc("connections at once; more are closed")
        Integer maxConnections,
        @Doc("`Retry-After` of 429 and 503")
        Integer retryAfterSeconds,
        @Doc("decompressed request bytes being read and waiting to be parsed, across all connections (at least `maxDecompressedBytes`); "
                + "a request whose body would take it further: 503 `overloaded` and the connection closed")
        Long maxInFlightBodyBytes) {
    public HttpSourceLimitsConfig {
        maxBodyBytes = maxBodyBytes == null ? 4 << 20 : maxBodyBytes;
        maxDecompressedBytes = maxDecompressedBytes == null ? 16 << 20 : maxDecompressedBytes;
        maxEventsPerRequest = maxEventsPerRequest == null ? 10_000 : maxEventsPerRequest;
        maxEventBytes = maxEventBytes == null ? 256 << 10 : maxEventBytes;
        maxHeadersPerEvent = maxHeadersPerEvent == null ? 64 : maxHeadersPerEvent;
        maxHeaderBytes = maxHeaderBytes == null ? 1024 : maxHeaderBytes;
        requestTimeoutMs = requestTimeoutMs == null ? 10_000L : requestTimeoutMs;
        idleTimeoutMs = idleTimeoutMs == null ? 60_000L : idleTimeoutMs;
        ackTimeoutMs = ackTimeoutMs == null ? 30_000L : ackTimeoutMs;
        maxConnections = maxConnections == null ? 10_000 : maxConnections;
        retryAfterSeconds = retryAfterSeconds == null ? 1 : retryAfterSeconds;
        maxInFlightBodyBytes = maxInFlightBodyBytes == null ? 256L << 20 : maxInFlightBodyBytes;
    }

    void validate(ConfigErrors e) {
        String k = "httpSource.limits.";
        e.between(maxBodyBytes, 1024, 256 << 20, k + "maxBodyBytes");
        e.between(maxDecompressedBytes, 1024, 1 << 30, k + "maxDecompressedBytes");
        e.check(maxDecompressedBytes >= maxBodyBytes, k + "maxDecompressedBytes", "must be >= maxBodyBytes (" + maxBodyBytes + ")");
        e.between(maxEventsPerRequest, 1, 1_000_000, k + "maxEventsPerRequest");
        e.between(maxEventBytes, 64, 16 << 20, k + "maxEventBytes");
        e.between(maxHeadersPerEvent, 0, 1024, k + "maxHeadersPerEvent");
        e.between(maxHeaderBytes, 16, 64 << 10, k + "maxHeaderBytes");
        e.between(requestTimeoutMs, 100, 3_600_000, k + "requestTimeoutMs");
        e.between(idleTimeoutMs, 100, 3_600_000, k + "idleTimeoutMs");
        e.between(ackTimeoutMs, 100, 3_600_000, k + "ackTimeoutMs");
        e.between(maxConnections, 1, 1_000_000, k + "maxConnections");
        e.between(retryAfterSeconds, 1, 3600, k + "retryAfterSeconds");
        e.check(maxInFlightBodyBytes >= maxDecompressedBytes && maxInFlightBodyBytes <= 64L << 30, k + "maxInFlightBodyBytes",
                "must be in maxDecompressedBytes (" + maxDecompressedBytes + ") .. 68719476736, was " + maxInFlightBodyBytes);
    }
}
