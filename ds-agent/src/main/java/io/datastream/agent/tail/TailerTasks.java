package io.datastream.agent.tail;

import io.datastream.agent.checkpoint.CheckpointEntry;
import io.datastream.registry.member.DropReason;
import io.datastream.registry.task.TaskSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks the tailer runs, and what happens to them: started from their checkpoints, changed,
 * stopped (their positions kept for when they come back), parked by the shipper (epoch, rest,
 * rewind) and retried after the rest. Used by the tailer thread only.
 */
final class TailerTasks {
    /** The tailer's logger: operators (and their alerts) know these lines by it. */
    private static final Logger LOG = LoggerFactory.getLogger(Tailer.class);
    private final Map<String, TaskRuntime> tasks = new LinkedHashMap<>();
    /** Positions of tasks not running (from the checkpoint, or of stopped tasks). */
    private final Map<String, List<CheckpointEntry>> stashed = new HashMap<>();
    private final FileTable table;
    private final FileTable.Handles handles;
    private final long parkRetryMs;

    TailerTasks(List<CheckpointEntry> checkpoints, FileTable table, FileTable.Handles handles, long parkRetryMs) {
        for (CheckpointEntry e : checkpoints) {
            stashed.computeIfAbsent(e.taskId(), k -> new ArrayList<>()).add(e);
        }
        this.table = table;
        this.handles = handles;
        this.parkRetryMs = parkRetryMs;
    }

    TaskRuntime get(String id) {
        return tasks.get(id);
    }

    Collection<TaskRuntime> all() {
        return tasks.values();
    }

    /** Replaces the set of tasks: removed ones stop (their positions kept), new ones start from their checkpoints. */
    void apply(Map<String, TaskSpec> specs, long now) {
        for (Iterator<Map.Entry<String, TaskRuntime>> it = tasks.entrySet().iterator(); it.hasNext(); ) {
            TaskRuntime t = it.next().getValue();
            if (!specs.containsKey(t.id)) {
                it.remove();
                stop(t, now);
            }
        }
        for (TaskSpec spec : specs.values()) {
            TaskRuntime t = tasks.get(spec.id());
            if (t == null) {
                t = new TaskRuntime(spec, now);
                table.load(t, stashed.getOrDefault(spec.id(), List.of()));
                stashed.remove(spec.id());
                tasks.put(spec.id(), t);
                LOG.info("task {} started: {}", spec.id(), spec.paths());
            } else if (!t.spec.equals(spec)) {
                t.apply(spec, now);
                t.initialScanPending = false;
                if (t.parked) {
                    t.parked = false;
                    LOG.info("task {} changed; resuming it", spec.id());
                }
            }
        }
    }

    /** A removed task: closes its files and keeps its positions for when it comes back. */
    private void stop(TaskRuntime t, long now) {
        List<CheckpointEntry> keep = new ArrayList<>();
        for (TrackedFile f : new ArrayList<>(t.files.values())) {
            f.retire();
            handles.close(f);
        }
        for (FileStream s : t.streams.values()) {
            keep.add(new CheckpointEntry(t.id, s.streamId, s.fingerprint, s.fingerprintLength, s.cursor.offset(),
                    s.key == null ? -1 : s.key.dev(), s.key == null ? -1 : s.key.ino(), s.path == null ? "" : s.path.toString(), now,
                    s.counted, new ArrayList<>(s.ranges)));
        }
        stashed.put(t.id, keep);
        LOG.info("task {} stopped", t.id);
    }

    /** The shipper parked the task: its epoch moves on, it rests files.parkRetryMs, and its streams are rewound. */
    void park(Inbox.Park p, long now) {
        TaskRuntime t = tasks.get(p.taskId());
        if (t == null || p.epoch() < t.epoch) {
            return;
        }
        t.epoch = Math.max(t.epoch, p.epoch()) + 1;
        t.parked = true;
        t.parkedUntilMillis = now + parkRetryMs;
        t.error(p.error());
        LOG.warn("task {} parked for {} ms: {}", t.id, parkRetryMs, p.error());
        rewind(t, p.rewind(), now);
    }

    /** Streams of a task start again at the given offsets (unacknowledged batches are read again). */
    void rewind(String taskId, Map<Long, Long> offsets, long now) {
        TaskRuntime t = tasks.get(taskId);
        if (t != null) {
            rewind(t, offsets, now);
        }
    }

    private void rewind(TaskRuntime t, Map<Long, Long> offsets, long now) {
        for (Map.Entry<Long, Long> e : offsets.entrySet()) {
            FileStream s = t.streams.get(e.getKey());
            if (s != null) {
                rewind(s, e.getValue(), now);
            }
        }
    }

    /** The stream is read again from {@code restart} (nothing happens unless it is below its offset). */
    static void rewind(FileStream s, long restart, long now) {
        if (restart >= s.cursor.offset()) {
            return;
        }
        if (s.owner == null) {
            // released already (rotated away and drained): lost unless the file shows up again
            s.pendingLoss += s.cursor.offset() - restart;
            s.lossReason = DropReason.DELETED_UNREAD;
            s.orphanedAtMillis = now;
        }
        s.cursor.reset(restart);
        if (s.owner != null) {
            s.owner.idleSize = -1;
            s.owner.firstPendingMillis = -1;
            s.owner.timeoutFlushedSize = -1;
        }
    }

    /** A parked task whose rest is over runs again (true): its files with a stream want their handles back. */
    boolean retryDue(TaskRuntime t, long now) {
        if (!t.parked || now < t.parkedUntilMillis) {
            return false;
        }
        t.parked = false;
        LOG.info("task {}: retrying after park", t.id);
        for (TrackedFile f : t.files.values()) {
            if (f.stream() != null && f.channel == null) {
                handles.wantOpen(f);
            }
        }
        return true;
    }
}
