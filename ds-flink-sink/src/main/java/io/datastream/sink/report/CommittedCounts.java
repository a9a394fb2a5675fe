package io.datastream.sink.report;

import io.datastream.protocol.report.MinuteLedger;
import io.datastream.protocol.report.ReportCount;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One operator subtask's counts per (task, read minute), held until the files they describe are
 * committed: counts since the last checkpoint barrier are <em>open</em>; a snapshot files them
 * under its checkpoint id; when a checkpoint completes, the counts of it and of every earlier one
 * (aborted checkpoints' files are committed with the next one) go into the installed
 * {@link SinkReports} ledger. After a failure the job restarts from the last completed checkpoint
 * and processes the rest again, so what was open or filed under an unfinished checkpoint is
 * counted again, once, and nothing twice.
 *
 * <p>Single-threaded (the operator's task thread; Flink calls snapshot and notify there).
 * Bounded: at most {@link #MAX_KEYS} (task, minute) keys held; counts beyond are not kept and
 * are added up in {@link SinkReports#overflow()}.
 */
public final class CommittedCounts {
    public static final int MAX_KEYS = 100_000;

    private record Key(String task, long minute) {
    }

    private Map<Key, long[]> open = new HashMap<>();
    private final NavigableMap<Long, Map<Key, long[]>> filed = new TreeMap<>();
    private int keys;

    /** Adds {@code n} of {@code count} to the task's read minute. */
    public void add(String task, long readMinute, ReportCount count, long n) {
        if (n == 0 || SinkReports.ledger() == null) {
            return;
        }
        Key k = new Key(task, readMinute);
        long[] c = open.get(k);
        if (c == null) {
            if (keys >= MAX_KEYS) {
                SinkReports.overflowed(n);
                return;
            }
            c = new long[ReportCount.values().length];
            open.put(k, c);
            keys++;
        }
        c[count.ordinal()] += n;
    }

    /** The checkpoint barrier passed: what is open belongs to this checkpoint. */
    public void snapshot(long checkpointId) {
        if (!open.isEmpty()) {
            Map<Key, long[]> prior = filed.put(checkpointId, open);
            if (prior != null) {
                throw new IllegalStateException("checkpoint " + checkpointId + " snapshotted twice");
            }
            open = new HashMap<>();
        }
    }

    /** The checkpoint completed: its files (and those of earlier ones) are committed. */
    public void complete(long checkpointId) {
        MinuteLedger ledger = SinkReports.ledger();
        for (Iterator<Map.Entry<Long, Map<Key, long[]>>> it = filed.headMap(checkpointId, true).entrySet().iterator(); it.hasNext(); ) {
            Map<Key, long[]> counts = it.next().getValue();
            it.remove();
            keys -= counts.size();
            if (ledger == null) {
                continue;
            }
            for (Map.Entry<Key, long[]> e : counts.entrySet()) {
                long[] c = e.getValue();
                for (ReportCount rc : ReportCount.values()) {
                    if (c[rc.ordinal()] != 0) {
                        ledger.add(e.getKey().task(), e.getKey().minute(), rc, c[rc.ordinal()]);
                    }
                }
            }
        }
    }

    /** (task, minute) keys held, open and filed. */
    public int keys() {
        return keys;
    }
}
