package io.datastream.agent.ledger;

import io.datastream.agent.batch.OutBatch;
import io.datastream.agent.checkpoint.AckedOffset;
import io.datastream.agent.checkpoint.CheckpointEntry;
import io.datastream.agent.checkpoint.MinuteCounts;
import io.datastream.agent.checkpoint.Progress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Every batch the tailer handed over and not yet acknowledged or dropped, and every stream's
 * state on the way to Kafka: the queue of batches to send (submission order; re-sends in front),
 * the batches in flight (by batch id, in send order), each stream's acknowledged offset (moved
 * contiguously: only past a prefix of acknowledged batches), each task's parked epoch, the
 * streams sent back to be read again, per-task counters, and the acknowledged progress not yet
 * handed to the checkpointer.
 *
 * <p>Confined to one thread (the shipper's event loop); the connection is not its business: the
 * shipper asks it what to send next and tells it what the router answered. Whatever leaves it
 * leaves as a record: {@link LedgerOut} through the consumer given at construction, {@link
 * Progress} from {@link #takeProgress()}, {@link LedgerSnapshot} from {@link #snapshot()}.
 */
public final class StreamLedger {

    /** A batch while the ledger holds it. */
    public static final class Entry {
        private final OutBatch batch;
        private final long seq;
        private long batchId = -1;
        private long sentAtMillis;
        private boolean acked;
        private boolean sentBefore;

        private Entry(OutBatch batch, long seq) {
            this.batch = batch;
            this.seq = seq;
        }

        public OutBatch batch() {
            return batch;
        }

        /** The id it was sent with on the current connection (-1 = not in flight). */
        public long batchId() {
            return batchId;
        }

        public long sentAtMillis() {
            return sentAtMillis;
        }
    }

    /** A stream's acknowledged offset and its batches not yet acknowledged, in offset order. */
    private static final class Stream {
        final long fingerprint;
        final int fingerprintLength;
        long acked;
        final ArrayDeque<Entry> outstanding = new ArrayDeque<>();

        Stream(long fingerprint, int fingerprintLength, long acked) {
            this.fingerprint = fingerprint;
            this.fingerprintLength = fingerprintLength;
            this.acked = acked;
        }
    }

    private static final class Task {
        long sent;
        long acked;
        long resent;
        long rejected;
        long lines;
        long bytes;
        long unackedBytes;
        int outstanding;
        String lastError;
        long parkedEpoch = -1;
        /** No longer a task of this agent: forgotten once its last batch is done. */
        boolean removed;
    }

    private final Consumer<LedgerOut> out;
    private final ArrayDeque<Entry> unsent = new ArrayDeque<>();
    private final LinkedHashMap<Long, Entry> inFlight = new LinkedHashMap<>();
    private final Map<CheckpointEntry.Key, Stream> streams = new HashMap<>();
    /** Streams sent back to be read again from an offset: batches built before the rewind are dropped. */
    private final Map<CheckpointEntry.Key, Long> awaitingRewind = new HashMap<>();
    private final Map<String, Task> tasks = new HashMap<>();
    /** Acknowledged offsets that moved since the last {@link #takeProgress()}. */
    private final Map<CheckpointEntry.Key, AckedOffset> ackedChanged = new LinkedHashMap<>();
    /** Lines and bytes the acknowledged offsets passed since the last {@link #takeProgress()}, per task and minute. */
    private final Map<MinuteCounts.Key, MinuteCounts> ackedCounts = new HashMap<>();
    private long nextSeq;
    private long nextBatchId;

    /** @param out told, in order, how batches end and what the tailer must do */
    public StreamLedger(Consumer<LedgerOut> out) {
        this.out = out;
    }

    // ------------------------------------------------------------------ batches in

    /**
     * A batch from the tailer: queued to be sent, or dropped (and the stream sent back to its
     * start) when it was built before its task was parked or before its stream was rewound.
     *
     * @return whether it was queued
     */
    public boolean submit(OutBatch b) {
        Task task = task(b.taskId());
        if (b.taskEpoch() <= task.parkedEpoch) {
            // built before the task was parked: drop it and have the tailer read it again later
            out.accept(new LedgerOut.Rewind(b.taskId(), Map.of(b.streamId(), b.startOffset())));
            discard(b);
            forgetIfDone(b.taskId(), task);
            return false;
        }
        CheckpointEntry.Key key = new CheckpointEntry.Key(b.taskId(), b.streamId());
        Long rewoundTo = awaitingRewind.get(key);
        if (rewoundTo != null) {
            if (b.startOffset() != rewoundTo) {
                discard(b); // built before the tailer went back: it reads this part again
                forgetIfDone(b.taskId(), task);
                return false;
            }
            awaitingRewind.remove(key);
        }
        Entry e = new Entry(b, nextSeq++);
        Stream s = streams.get(key);
        if (s == null) {
            s = new Stream(b.fingerprint(), b.fingerprintLength(), b.startOffset());
            streams.put(key, s);
        } else if (s.outstanding.isEmpty() && s.acked != b.startOffset()) {
            s.acked = b.startOffset(); // the tailer moved the stream (rewind, restart)
        }
        s.outstanding.add(e);
        task.unackedBytes += sourceBytes(b);
        task.outstanding++;
        unsent.add(e);
        return true;
    }

    /** A batch that never entered the ledger (it arrived while the agent stops): dropped. */
    public void refuse(OutBatch b) {
        discard(b);
    }

    // ------------------------------------------------------------------ sending

    /** The next batch to send, or null. */
    public Entry nextToSend() {
        return unsent.peek();
    }

    /**
     * The batch from {@link #nextToSend()} was written to the router.
     *
     * @return the batch id it was sent with
     */
    public long sent(Entry e, long nowMillis) {
        if (unsent.peek() != e) {
            throw new IllegalStateException("only the next batch to send can be sent");
        }
        unsent.poll();
        e.batchId = nextBatchId++;
        e.sentAtMillis = nowMillis;
        inFlight.put(e.batchId, e);
        Task task = task(e.batch.taskId());
        task.sent++;
        if (e.sentBefore) {
            task.resent++;
        }
        return e.batchId;
    }

    /** The batch in flight with this id on the current connection, or null (dropped since, or an old connection's). */
    public Entry inFlight(long batchId) {
        return inFlight.get(batchId);
    }

    /** The batch sent longest ago and not acknowledged, or null. */
    public Entry oldestInFlight() {
        return inFlight.isEmpty() ? null : inFlight.values().iterator().next();
    }

    public int inFlightCount() {
        return inFlight.size();
    }

    public int queuedCount() {
        return unsent.size();
    }

    // ------------------------------------------------------------------ router answers

    /** ACK OK: the stream's acknowledged offset moves past every acknowledged batch at its front. */
    public void acked(Entry e) {
        inFlight.remove(e.batchId);
        OutBatch b = e.batch;
        e.acked = true;
        Task task = task(b.taskId());
        task.acked++;
        task.lines += b.records();
        task.bytes += sourceBytes(b);
        CheckpointEntry.Key key = new CheckpointEntry.Key(b.taskId(), b.streamId());
        Stream s = streams.get(key);
        if (s != null) {
            long before = s.acked;
            while (!s.outstanding.isEmpty() && s.outstanding.peek().acked) {
                OutBatch done = s.outstanding.poll().batch;
                s.acked = Math.max(s.acked, done.endOffset());
                // counted for the checkpoint with the offset it moves, never ahead of it
                long minute = Math.floorDiv(done.createdMillis(), 60_000L);
                ackedCounts.merge(new MinuteCounts.Key(done.taskId(), minute),
                        MinuteCounts.acked(done.taskId(), minute, done.records(), sourceBytes(done)), MinuteCounts::plus);
            }
            if (s.acked != before) {
                ackedChanged.put(key, new AckedOffset(key.taskId(), key.streamId(), s.fingerprint, s.fingerprintLength, s.acked));
            }
            if (s.outstanding.isEmpty()) {
                streams.remove(key);
            }
        }
        done(e, new LedgerOut.Acked(b));
    }

    /**
     * A batch in flight goes back to the queue, in submission order, to be sent on the next
     * connection (RETRY_LATER from a router that is leaving).
     */
    public void sendAgainLater(Entry e) {
        inFlight.remove(e.batchId);
        e.batchId = -1;
        e.sentBefore = true;
        List<Entry> all = new ArrayList<>(unsent);
        all.add(e);
        all.sort((x, y) -> Long.compare(x.seq, y.seq));
        unsent.clear();
        unsent.addAll(all);
    }

    /** The connection is gone: every batch in flight is sent again, first, in the order it was sent. */
    public void disconnected() {
        if (inFlight.isEmpty()) {
            return;
        }
        List<Entry> back = new ArrayList<>(inFlight.values());
        back.sort((x, y) -> Long.compare(x.seq, y.seq));
        inFlight.clear();
        for (int i = back.size() - 1; i >= 0; i--) {
            Entry e = back.get(i);
            e.batchId = -1;
            e.sentBefore = true;
            unsent.addFirst(e);
        }
    }

    /**
     * A batch too large for the router: it and every later queued batch of its stream are
     * dropped, and the tailer reads the stream again from the batch's start (in batches that
     * fit); later batches of the stream are dropped until the one starting there arrives.
     */
    public void tooLarge(Entry e) {
        OutBatch b = e.batch;
        CheckpointEntry.Key key = new CheckpointEntry.Key(b.taskId(), b.streamId());
        List<Entry> dropped = new ArrayList<>();
        unsent.remove(e);
        dropped.add(e);
        for (Iterator<Entry> it = unsent.iterator(); it.hasNext(); ) {
            Entry q = it.next();
            if (q.batch.streamId() == b.streamId() && q.batch.taskId().equals(b.taskId())) {
                it.remove();
                dropped.add(q);
            }
        }
        awaitingRewind.put(key, b.startOffset());
        for (Entry q : dropped) {
            dropOutstanding(q);
        }
        out.accept(new LedgerOut.Rewind(b.taskId(), Map.of(b.streamId(), b.startOffset())));
    }

    /**
     * A batch that will never be accepted as it is (REJECTED, or a codec the router does not
     * take): its task is parked at the batch's epoch, and every batch of the task up to that
     * epoch, queued or in flight, is dropped; the tailer reads each stream again from its first
     * dropped offset.
     *
     * @param error why, for the task's status ("REJECTED " is put in front)
     */
    public void reject(Entry e, String error) {
        OutBatch b = e.batch;
        Task task = task(b.taskId());
        task.rejected++;
        task.lastError = "REJECTED " + error;
        task.parkedEpoch = Math.max(task.parkedEpoch, b.taskEpoch());
        Map<Long, Long> rewind = new HashMap<>();
        List<Entry> dropped = new ArrayList<>();
        if (!unsent.remove(e)) {
            inFlight.remove(e.batchId);
        }
        dropped.add(e);
        for (Iterator<Entry> it = unsent.iterator(); it.hasNext(); ) {
            Entry q = it.next();
            if (q.batch.taskId().equals(b.taskId()) && q.batch.taskEpoch() <= task.parkedEpoch) {
                it.remove();
                dropped.add(q);
            }
        }
        for (Iterator<Entry> it = inFlight.values().iterator(); it.hasNext(); ) {
            Entry q = it.next();
            if (q.batch.taskId().equals(b.taskId()) && q.batch.taskEpoch() <= task.parkedEpoch) {
                it.remove();
                dropped.add(q);
            }
        }
        for (Entry q : dropped) {
            rewind.merge(q.batch.streamId(), q.batch.startOffset(), Math::min);
            dropOutstanding(q);
        }
        out.accept(new LedgerOut.Park(b.taskId(), task.parkedEpoch, rewind, task.lastError));
        forgetIfDone(b.taskId(), task);
    }

    /** The agent stops: every batch is dropped unacknowledged (read again after the restart). */
    public void discardAll() {
        List<Entry> all = new ArrayList<>(unsent);
        all.addAll(inFlight.values());
        unsent.clear();
        inFlight.clear();
        for (Entry e : all) {
            dropOutstanding(e);
        }
        streams.clear();
    }

    // ------------------------------------------------------------------ tasks

    /**
     * The agent's tasks now: every other task is forgotten (its counters, parked epoch and
     * rewinds) once its last batch is acknowledged or dropped; its batches still go out. A task
     * added again starts afresh (the tailer starts its epochs again).
     */
    public void retainTasks(Set<String> live) {
        for (Iterator<Map.Entry<String, Task>> it = tasks.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Task> t = it.next();
            Task task = t.getValue();
            if (live.contains(t.getKey())) {
                task.removed = false;
                continue;
            }
            task.removed = true;
            task.parkedEpoch = -1;
            String id = t.getKey();
            awaitingRewind.keySet().removeIf(k -> k.taskId().equals(id));
            if (task.outstanding == 0) {
                it.remove();
            }
        }
    }

    // ------------------------------------------------------------------ out

    /** Whether acknowledged offsets moved since the last {@link #takeProgress()}. */
    public boolean hasProgress() {
        return !ackedChanged.isEmpty() || !ackedCounts.isEmpty();
    }

    /**
     * The acknowledged offsets that moved since the previous call, with the lines and bytes they
     * passed per task and minute (taken together: the checkpoint never holds one without the
     * other). Only the checkpointer's feed calls this; status reads {@link #snapshot()}.
     */
    public Progress<AckedOffset> takeProgress() {
        Progress<AckedOffset> p = new Progress<>(List.copyOf(ackedChanged.values()), List.copyOf(ackedCounts.values()));
        ackedChanged.clear();
        ackedCounts.clear();
        return p;
    }

    /** The counters now; changes nothing. */
    public LedgerSnapshot snapshot() {
        Map<String, Long> oldest = new HashMap<>();
        for (Entry e : inFlight.values()) {
            oldest.merge(e.batch.taskId(), e.batch.createdMillis(), Math::min);
        }
        for (Entry e : unsent) {
            oldest.merge(e.batch.taskId(), e.batch.createdMillis(), Math::min);
        }
        Map<String, TaskShipping> shipping = new HashMap<>();
        for (Map.Entry<String, Task> t : tasks.entrySet()) {
            Task c = t.getValue();
            if (c.removed) {
                continue;
            }
            shipping.put(t.getKey(), new TaskShipping(c.sent, c.acked, c.resent, c.rejected, c.lines, c.bytes,
                    Math.max(0, c.unackedBytes), oldest.getOrDefault(t.getKey(), 0L), c.lastError));
        }
        return new LedgerSnapshot(shipping, inFlight.size(), unsent.size());
    }

    // ------------------------------------------------------------------ internals

    private Task task(String id) {
        return tasks.computeIfAbsent(id, k -> new Task());
    }

    /** Drops a batch the ledger holds (already out of the queue and the in-flight map). */
    private void dropOutstanding(Entry e) {
        OutBatch b = e.batch;
        CheckpointEntry.Key key = new CheckpointEntry.Key(b.taskId(), b.streamId());
        Stream s = streams.get(key);
        if (s != null) {
            s.outstanding.remove(e);
            if (s.outstanding.isEmpty()) {
                streams.remove(key);
            }
        }
        done(e, new LedgerOut.Discarded(b));
    }

    private void done(Entry e, LedgerOut end) {
        OutBatch b = e.batch;
        Task task = task(b.taskId());
        task.unackedBytes -= sourceBytes(b);
        task.outstanding--;
        out.accept(end);
        forgetIfDone(b.taskId(), task);
    }

    private void discard(OutBatch b) {
        out.accept(new LedgerOut.Discarded(b));
    }

    private void forgetIfDone(String id, Task task) {
        if (task.removed && task.outstanding <= 0) {
            tasks.remove(id);
        }
    }

    private static long sourceBytes(OutBatch b) {
        return b.endOffset() - b.startOffset();
    }
}
