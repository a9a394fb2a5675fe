package io.datastream.router.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The live connections of a router, bounded by limits.maxConnections. Thread-safe. */
public final class Connections {
    private final int max;
    private final Set<Connection> all = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();

    public Connections(int max) {
        this.max = max;
    }

    /** Adds a connection; false when the limit is reached. */
    boolean tryAdd(Connection c) {
        while (true) {
            int n = count.get();
            if (n >= max) {
                return false;
            }
            if (count.compareAndSet(n, n + 1)) {
                all.add(c);
                return true;
            }
        }
    }

    void remove(Connection c) {
        if (all.remove(c)) {
            count.decrementAndGet();
        }
    }

    public int count() {
        return count.get();
    }

    /** A snapshot of the live connections. */
    public List<Connection> snapshot() {
        return new ArrayList<>(all);
    }
}
