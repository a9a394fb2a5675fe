package io.datastream.router.credit;

/**
 * How much credit a connection gets. A connection's credit limit (a monotonic byte position in
 * its stream of BATCH bodies) is kept at {@code released + window}, where {@code released} counts
 * its batches that are finished (acknowledged by Kafka, or refused), so at most one window per
 * connection is sent but not finished. The window is the connection's fair share of the pool,
 * {@code capacity / connections}, clamped to [minWindow, maxWindow]; minWindow is at least the
 * largest batch, so any batch fits in a window. A grant never promises more unsent bytes than the
 * pool has free at that moment: when Kafka slows down, the pool fills and credit stops.
 *
 * <p>Credit counts BATCH body bytes on the wire, the pool counts what a batch reserves, which is
 * more in lines mode (its decompressed lines and the records made of them, about 20 times the
 * wire bytes of zstd-compressed logs). A connection therefore passes its <em>expansion</em>, the
 * pool bytes its recent batches reserved per credit byte (1 in envelope mode), and both the
 * window and the free pool bytes are divided by it, so the batches a grant lets in fit into the
 * pool instead of being refused OVERLOADED. The window never goes below minWindow.
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

    /** The window, in credit bytes, of a connection whose batches reserve {@code expansion} pool bytes per credit byte. */
    public long window(int connections, double expansion) {
        return Math.max(minWindow, (long) (window(connections) / Math.max(1, expansion)));
    }

    /**
     * The credit limit a connection should have now: at most {@code released + window}, and at
     * most {@code received} plus the free pool bytes not yet claimed by the connection's received
     * but unreserved batches, both in credit bytes (pool bytes divided by {@code expansion});
     * never below {@code limit} (credit is monotonic).
     *
     * @param limit       the limit granted so far
     * @param received    BATCH body bytes received on the connection
     * @param released    of those, bytes whose batches are finished
     * @param connections connections sharing the pool
     * @param expansion   pool bytes the connection's batches reserve per credit byte (at least 1)
     * @param unreserved  of the bytes received, those of batches that hold no reservation yet
     *                    (still arriving); they will take about {@code expansion} times as much
     */
    public long nextLimit(long limit, long received, long released, int connections, double expansion, long unreserved) {
        long target = released + window(connections, expansion);
        long covered = received + Math.max(0, (long) (Math.max(0, pool.free()) / Math.max(1, expansion)) - unreserved);
        return Math.max(limit, Math.min(target, covered));
    }

    /** {@link #nextLimit(long, long, long, int, double, long)} for batches that reserve their credit cost, all reserved. */
    public long nextLimit(long limit, long received, long released, int connections) {
        return nextLimit(limit, received, released, connections, 1, 0);
    }

    /** The limit the connection would get if the pool had room: the grant is short when below it. */
    public long targetLimit(long released, int connections, double expansion) {
        return released + window(connections, expansion);
    }

    public long minWindow() {
        return minWindow;
    }

    public MemoryPool pool() {
        return pool;
    }
}
