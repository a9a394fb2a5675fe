package io.datastream.agent.tail;

import io.datastream.agent.discovery.ScanResult;
import io.datastream.registry.task.TaskSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tailer's one bounded inbox: what other threads tell it, as typed messages. Hints (writes
 * reported, room in the send window) are dropped and counted when the inbox is nearly full (the
 * next scan or poll repeats them); control messages (tasks, scans, parks, rewinds, snapshot requests)
 * keep {@value #RESERVED} places for themselves. A task's scan waits beside the queue, a newer one
 * replacing it, and only a token travels in it: scans of many files are big. Any thread offers;
 * the tailer thread takes.
 */
final class Inbox {
    private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);
    static final int CAPACITY = 4096;
    /** Inbox room kept for messages that must not be dropped (hints are dropped first). */
    static final int RESERVED = 256;

    /** What the tailer does with each message; each returns whether the next round may have something to do. */
    interface Handler {
        boolean tasksChanged(Map<String, TaskSpec> tasks, long now);

        boolean scanned(ScanResult scan, long now);

        boolean written(Set<Path> paths, long now);

        boolean room();

        boolean park(Park park, long now);

        boolean rewind(String taskId, Map<Long, Long> rewind, long now);

        boolean persisted(long openMinute);

        boolean snapshotRequested(CompletableFuture<TailerSnapshot> future);

        boolean filesRequested(CompletableFuture<List<FileStatus>> future);
    }

    /** A message to the tailer: delivered to the {@link Handler} method of its kind. */
    sealed interface Message {
        boolean deliver(Handler h, long now);
    }

    record TasksChanged(Map<String, TaskSpec> tasks) implements Message {
        public boolean deliver(Handler h, long now) {
            return h.tasksChanged(tasks, now);
        }
    }

    /** A task's latest scan waits in {@link #pendingScans}; only this token travels in the inbox. */
    record ScanReady(String taskId) implements Message {
        public boolean deliver(Handler h, long now) {
            return true; // its scan was taken with an earlier token: nothing waits (poll() turns a token with a scan into Scanned)
        }
    }

    record Scanned(ScanResult scan) implements Message {
        public boolean deliver(Handler h, long now) {
            return h.scanned(scan, now);
        }
    }

    record Wake(Set<Path> paths) implements Message {
        public boolean deliver(Handler h, long now) {
            return h.written(paths, now);
        }
    }

    /** The send window has room again: the next round reads. */
    record Room() implements Message {
        public boolean deliver(Handler h, long now) {
            return h.room();
        }
    }

    record Park(String taskId, long epoch, Map<Long, Long> rewind, String error) implements Message {
        public boolean deliver(Handler h, long now) {
            return h.park(this, now);
        }
    }

    record Rewind(String taskId, Map<Long, Long> rewind) implements Message {
        public boolean deliver(Handler h, long now) {
            return h.rewind(taskId, rewind, now);
        }
    }

    record Persisted(long openMinute) implements Message {
        public boolean deliver(Handler h, long now) {
            return h.persisted(openMinute);
        }
    }

    /** Status and metrics ask for a {@link TailerSnapshot} (answering changes nothing). */
    record SnapshotRequest(CompletableFuture<TailerSnapshot> future) implements Message {
        public boolean deliver(Handler h, long now) {
            h.snapshotRequested(future);
            return false; // nothing changed: an idle wait goes on
        }
    }

    record FilesRequest(CompletableFuture<List<FileStatus>> future) implements Message {
        public boolean deliver(Handler h, long now) {
            return h.filesRequested(future);
        }
    }

    private static final Room ROOM = new Room();
    private final BlockingQueue<Message> queue = new LinkedBlockingQueue<>(CAPACITY);
    /** At most one unprocessed scan per task (a newer one replaces it). */
    private final ConcurrentHashMap<String, ScanResult> pendingScans = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong droppedHints = new java.util.concurrent.atomic.AtomicLong();

    /** Scans are snapshots: a newer one replaces one not taken yet. */
    void scan(ScanResult result) {
        if (pendingScans.put(result.spec().id(), result) == null) {
            control(new ScanReady(result.spec().id()));
        }
    }

    void room() {
        hint(ROOM);
    }

    void hint(Message m) {
        if (queue.remainingCapacity() <= RESERVED || !queue.offer(m)) {
            droppedHints.incrementAndGet();
        }
    }

    void control(Message m) {
        if (!queue.offer(m)) {
            // Never expected: control messages are rare and the inbox keeps room for them.
            LOG.error("tailer inbox full; dropping {}", m.getClass().getSimpleName());
            if (m instanceof SnapshotRequest r) {
                r.future().completeExceptionally(new IllegalStateException("tailer inbox full"));
            } else if (m instanceof FilesRequest r) {
                r.future().completeExceptionally(new IllegalStateException("tailer inbox full"));
            }
        }
    }

    /** The next message, or null; a scan token comes back as its scan (null too when none waits). */
    Message poll() {
        return resolve(queue.poll());
    }

    /** The next message within {@code millis}, or null. */
    Message poll(long millis) throws InterruptedException {
        return resolve(millis > 0 ? queue.poll(millis, TimeUnit.MILLISECONDS) : null);
    }

    private Message resolve(Message m) {
        if (m instanceof ScanReady ready) {
            ScanResult r = pendingScans.remove(ready.taskId());
            return r == null ? ready : new Scanned(r);
        }
        return m;
    }

    /** Hints dropped because the inbox was nearly full. */
    long droppedHints() {
        return droppedHints.get();
    }

    /** After the tailer stopped: answers what waits (snapshots with {@code last}, file lists empty) and drops the rest. */
    void drain(TailerSnapshot last) {
        for (Message m; (m = queue.poll()) != null; ) {
            if (m instanceof SnapshotRequest r) {
                r.future().complete(last);
            } else if (m instanceof FilesRequest r) {
                r.future().complete(List.of());
            }
        }
    }
}
