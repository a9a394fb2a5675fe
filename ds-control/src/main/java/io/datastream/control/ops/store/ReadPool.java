package io.datastream.control.ops.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fixed set of read-only connections (WAL lets them read while the writer writes). A query waits
 * up to {@link #WAIT_MS} for a free connection, then fails.
 */
final class ReadPool implements AutoCloseable {
    static final long WAIT_MS = 10_000;
    private final BlockingQueue<Connection> free;
    private final List<Connection> all = new ArrayList<>();

    ReadPool(Path file, int size) {
        free = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            Connection c = Sqlite.open(file, true);
            all.add(c);
            free.add(c);
        }
    }

    <T> T read(StoreWriter.Work<T> work) {
        Connection c;
        try {
            c = free.poll(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a metrics store connection");
        }
        if (c == null) {
            throw new StoreException("every metrics store reader is busy");
        }
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("metrics store query failed: " + e.getMessage(), e);
        } finally {
            free.add(c);
        }
    }

    @Override
    public void close() {
        for (Connection c : all) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }
}
