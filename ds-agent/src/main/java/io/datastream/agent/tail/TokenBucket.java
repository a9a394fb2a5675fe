package io.datastream.agent.tail;

/**
 * A rate limit in bytes per second with one second of burst. Reads may overdraw it by one
 * read; the next read waits until the balance is positive again.
 */
final class TokenBucket {
    private final long rate;
    private final long capacity;
    private double tokens;
    private long lastMillis;

    TokenBucket(long bytesPerSecond, long nowMillis) {
        this.rate = bytesPerSecond;
        this.capacity = Math.max(bytesPerSecond, 4096);
        this.tokens = capacity;
        this.lastMillis = nowMillis;
    }

    long rate() {
        return rate;
    }

    /** Bytes that may be read now (0 when in debt). */
    long available(long nowMillis) {
        if (nowMillis > lastMillis) {
            tokens = Math.min(capacity, tokens + (nowMillis - lastMillis) * (double) rate / 1000.0);
            lastMillis = nowMillis;
        }
        return tokens <= 0 ? 0 : (long) tokens;
    }

    void consume(long bytes) {
        tokens -= bytes;
    }

    /** Milliseconds until some bytes may be read again. */
    long waitMillis(long nowMillis) {
        long avail = available(nowMillis);
        if (avail > 0) {
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) * 1000.0 / rate));
    }
}
