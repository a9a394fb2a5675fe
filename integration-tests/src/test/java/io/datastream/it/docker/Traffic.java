package io.datastream.it.docker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The logs of one scenario's task on every agent: one {@link LogStream} per agent, appended to
 * every 100 ms by one writer thread while running; {@link #burst} writes synchronously.
 */
final class Traffic {
    final String task;
    private final List<LogStream> streams = new ArrayList<>();
    private final int linesPerTick;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private ScheduledExecutorService writer;

    Traffic(DockerCluster cluster, String task, int linesPerTick, int rotateEvery) {
        this.task = task;
        this.linesPerTick = linesPerTick;
        for (int i = 1; i <= DockerCluster.AGENTS; i++) {
            Path dir = cluster.logsDir(i).resolve(task);
            streams.add(new LogStream(dir, task, DockerCluster.agentId(i), rotateEvery, 31L * i + task.hashCode()));
        }
    }

    void start() {
        writer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "log-writer-" + task));
        writer.scheduleAtFixedRate(() -> {
            try {
                for (LogStream s : streams) {
                    s.write(linesPerTick);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                throw t;
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
    }

    /** Stops the writer thread; the files stay as they are. */
    void stop() throws InterruptedException {
        if (writer != null) {
            writer.shutdown();
            if (!writer.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("log writer of " + task + " did not stop");
            }
            writer = null;
        }
        if (failure.get() != null) {
            throw new IllegalStateException("log writer of " + task + " failed", failure.get());
        }
    }

    /** Writes n lines to every agent's log now (writer stopped). */
    void burst(int n) {
        if (writer != null) {
            throw new IllegalStateException("burst while the writer runs");
        }
        for (LogStream s : streams) {
            s.write(n);
        }
    }

    void close() {
        streams.forEach(LogStream::close);
    }

    /** The stream of agent i (1-based). */
    LogStream stream(int agent) {
        return streams.get(agent - 1);
    }

    List<String> allLines() {
        List<String> all = new ArrayList<>();
        for (LogStream s : streams) {
            all.addAll(s.written());
        }
        return all;
    }

    int rotations() {
        int n = 0;
        for (LogStream s : streams) {
            n += s.rotations();
        }
        return n;
    }
}
