package io.datastream.router.channel;

import java.security.SecureRandom;

/**
 * One start of a router: 64 random bits from {@link SecureRandom} and the start time. Routers
 * keep no counter on disk, so instead of a persisted counter each start draws a new random value;
 * two starts share one with probability 2^-64. Every event a channel holds carries the
 * incarnation that wrote it ({@link ChannelRecord#incarnation()}): a file-queue channel keeps it in
 * each segment's header, so an event read again after a restart keeps the identity it had.
 *
 * @param random      64 random bits
 * @param startMillis wall-clock time of the start
 */
public record Incarnation(long random, long startMillis) {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new incarnation for a starting router. */
    public static Incarnation next() {
        return new Incarnation(RANDOM.nextLong(), System.currentTimeMillis());
    }
}
