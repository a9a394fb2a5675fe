package io.datastream.router.config;

/**
 * {@code httpSource.limits.*}: what one request may hold and how long it may take.
 *
 * @param maxBodyBytes          request body as sent (compressed or not); more: 413 (default 4 MiB)
 * @param maxDecompressedBytes  request body after Content-Encoding; more: 413 (default 16 MiB)
 * @param maxEventsPerRequest   events in one request; more: 413 (default 10000)
 * @param maxEventBytes         one event as a JSON line; more: 400 with its index (default 256 KiB)
 * @param maxHeadersPerEvent    headers of one event; more: 400 (default 64)
 * @param maxHeaderBytes        one header's name + value in UTF-8; more: 400 (default 1024)
 * @param requestTimeoutMs      from the request line to the end of the body; slower: 408 and close (default 10 s)
 * @param idleTimeoutMs         a keep-alive connection without a request is closed after this (default 60 s)
 * @param ackTimeoutMs          longest wait for the events to be safe; then 503, the events may still be delivered (default 30 s)
 * @param maxConnections        connections at once; more are closed at once (default 10000)
 * @param retryAfterSeconds     Retry-After of a 429 or 503 (default 1)
 * @param maxInFlightBodyBytes  decompressed request bytes being read and waiting to be parsed, across all
 *                              connections; a request whose body would take it further: 503 and close (default 256 MiB)
 */
public record HttpSourceLimitsConfig(Integer maxBodyBytes, Integer maxDecompressedBytes, Integer maxEventsPerRequest, Integer maxEventBytes,
                                     Integer maxHeadersPerEvent, Integer maxHeaderBytes, Long requestTimeoutMs, Long idleTimeoutMs,
                                     Long ackTimeoutMs, Integer maxConnections, Integer retryAfterSeconds,
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
