package io.datastream.router.credit;

/**
 * How much credit a connection gets. A connection's credit limit (a monotonic byte position in
 * its stream of BATCH bodies) is kept at {@code released + window}, where {@code released} counts
 * its batches that are finished (acknowledged by Kafka, or refused), so at most one window per
 * connection is sent but not finished. The window is the connection's fair share of the pool,
 * {@code capacity / connections}, clamped to [minWindow, maxWindow]; minWindow is at least the
 * largest batch, so any batch fits in a window. A grant never promises more unsent bytes than the
 * pool has free at that moment: when Kafka slows down, the pool fills and credit stops.
 */
public final class CreditPolicy {
    private final MemoryPool pool;
    private final long minWindow;
    private final long maxWindow;

    public CreditPolicy(MemoryPool pool, long minWindow, long maxWindow) {
        if (minWindow <= 0 || maxWindow < minWindow) {
            throw new IllegalArgumentException("need 0 < minWindow <= maxWindow, got " + minWindow + ", " + maxWindow);
        }
        this.pool = pool;
        this.minWindow = minWindow;
        this.maxWindow = maxWindow;
    }

    /** The window of each of {@code connections} connections. */
    public long window(int connections) {
        long share = pool.capacity() / Math.max(1, connections);
        return Math.max(minWindow, Math.min(maxWindow, share));
    }

    /**
     * The credit limit a connection should have now: at most {@code released + window}, and at
     * most {@code received + free pool bytes}; never below {@code limit} (credit is monotonic).
     *
     * @param limit       the limit granted so far
     * @param received    BATCH body bytes received on the connection
     * @param released    of those, bytes whose batches are finished
     * @param connections connections sharing the pool
     */
    public long nextLimit(long limit, long received, long released, int connections) {
        long target = released + window(connections);
        long covered = received + Math.max(0, pool.free());
        return Math.max(limit, Math.min(target, covered));
    }

    /** The limit the connection would get if the pool had room: the grant is short when below it. */
    public long targetLimit(long released, int connections) {
        return released + window(connections);
    }

    public long minWindow() {
        return minWindow;
    }

    public MemoryPool pool() {
        return pool;
    }
}
