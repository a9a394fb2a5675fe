package io.datastream.control.ops.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes the database. Work arrives through a bounded queue; the writer takes
 * what is waiting (up to {@link #MAX_BATCH} tasks) and runs it in one transaction, each task under
 * its own savepoint so one failing task does not undo the others. When the queue is full,
 * {@link #offer} refuses (the caller drops and counts); nothing ever blocks a caller.
 */
final class StoreWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);
    static final int MAX_BATCH = 256;

    /** Work done on the writer's connection, inside a transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private static final class Task<T> {
        private final Work<T> work;
        private final CompletableFuture<T> done = new CompletableFuture<>();
        private T result;

        Task(Work<T> work) {
            this.work = work;
        }

        CompletableFuture<T> done() {
            return done;
        }

        void run(Connection c) throws SQLException {
            result = work.run(c);
        }

        /** After the commit: readers see what it wrote. */
        void complete() {
            done.complete(result);
        }
    }

    private final Connection connection;
    private final BlockingQueue<Task<?>> queue;
    private final Runnable idle;
    private final Thread thread;
    private final AtomicLong transactions = new AtomicLong();
    private volatile boolean running = true;

    /**
     * @param idle run by the writer when it found nothing to do for a second (maintenance checks)
     */
    StoreWriter(Connection connection, int capacity, Runnable idle) {
        this.connection = connection;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.idle = idle;
        this.thread = new Thread(this::loop, "ds-control-store-writer");
        thread.setDaemon(true);
    }

    StoreWriter start() {
        thread.start();
        return this;
    }

    /** Queues work; null when the queue is full or the writer stopped. */
    <T> CompletableFuture<T> offer(Work<T> work) {
        if (!running) {
            return null;
        }
        Task<T> t = new Task<>(work);
        return queue.offer(t) ? t.done() : null;
    }

    int queued() {
        return queue.size();
    }

    long transactions() {
        return transactions.get();
    }

    private void loop() {
        List<Task<?>> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Task<?> first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    if (running) {
                        idle.run();
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                runBatch(batch);
            } catch (InterruptedException e) {
                running = false;
            } catch (RuntimeException e) {
                LOG.error("metrics store writer: {}", e.toString(), e);
            } finally {
                batch.clear();
            }
        }
    }

    private void runBatch(List<Task<?>> batch) {
        try {
            connection.setAutoCommit(false);
            List<Task<?>> ran = new ArrayList<>(batch.size());
            for (Task<?> t : batch) {
                Savepoint sp = connection.setSavepoint();
                try {
                    t.run(connection);
                    connection.releaseSavepoint(sp);
                    ran.add(t);
                } catch (SQLException | RuntimeException e) {
                    connection.rollback(sp);
                    t.done().completeExceptionally(new StoreException("metrics store write failed: " + e.getMessage(), e));
                }
            }
            connection.commit();
            transactions.incrementAndGet();
            for (Task<?> t : ran) {
                t.complete();
            }
        } catch (SQLException e) {
            LOG.error("metrics store commit failed: {}", e.toString());
            for (Task<?> t : batch) {
                t.done().completeExceptionally(new StoreException("metrics store commit failed: " + e.getMessage(), e));
            }
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection is broken; the next batch will say so
            }
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException ignored) {
                // as above
            }
        }
    }

    /** Stops taking work, finishes what is queued, closes the connection. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("closing the metrics database: {}", e.toString());
        }
    }
}
