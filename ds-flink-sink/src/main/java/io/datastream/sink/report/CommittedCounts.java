package io.datastream.sink.report;

import io.datastream.protocol.report.LatencyHistogram;
import io.datastream.protocol.report.MinuteLedger;
import io.datastream.protocol.report.ReportCount;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * One operator subtask's counts per (task, read minute), held until the files they describe are
 * committed: counts since the last checkpoint barrier are <em>open</em>; a snapshot files them
 * under its checkpoint id; when a checkpoint completes, the counts of it and of every earlier one
 * (aborted checkpoints' files are committed with the next one) go into the installed
 * {@link SinkReports} ledger. After a failure the job restarts from the last completed checkpoint
 * and processes the rest again, so what was open or filed under an unfinished checkpoint is
 * counted again, once, and nothing twice.
 *
 * <p>Committed lines also carry their read time ({@link #committed}): per key, the lines per
 * {@link #SLOT_MS} slot of the read minute. When the checkpoint completes, each slot's lines get the
 * latency (completion time - slot start) in the minute's {@link LatencyHistogram}: the read-to-commit
 * latency, rounded up by less than {@link #SLOT_MS}, across the agent's and this host's clocks.
 *
 * <p>Single-threaded (the operator's task thread; Flink calls snapshot and notify there).
 * Bounded: at most {@link #MAX_KEYS} (task, minute) keys held; counts beyond are not kept and
 * are added up in {@link SinkReports#overflow()}; read-time slots for at most
 * {@link #MAX_TIMED_KEYS} keys (about 1 KB each), lines beyond committed without a latency and
 * added up in {@link SinkReports#latencyOverflow()}.
 */
public final class CommittedCounts {
    public static final int MAX_KEYS = 100_000;
    public static final int MAX_TIMED_KEYS = 10_000;
    /** The resolution of read times held until commit. */
    public static final int SLOT_MS = 250;
    private static final int SLOTS = 60_000 / SLOT_MS;

    private record Key(String task, long minute) {
    }

    /** A key's counts and, once lines were committed, their read times. */
    private static final class Cell {
        final long[] counts = new long[ReportCount.values().length];
        int[] readSlots;
    }

    private final LongSupplier clock;
    private Map<Key, Cell> open = new HashMap<>();
    private final NavigableMap<Long, Map<Key, Cell>> filed = new TreeMap<>();
    private int keys;
    private int timedKeys;

    public CommittedCounts() {
        this(System::currentTimeMillis);
    }

    /** @param clock epoch milliseconds, read when a checkpoint completes */
    public CommittedCounts(LongSupplier clock) {
        this.clock = clock;
    }

    /** Adds {@code n} of {@code count} to the task's read minute. */
    public void add(String task, long readMinute, ReportCount count, long n) {
        Cell c = cell(task, readMinute, n);
        if (c != null) {
            c.counts[count.ordinal()] += n;
        }
    }

    /** Adds {@code n} committed lines read at {@code readTime} (epoch ms): their count and their read time. */
    public void committed(String task, long readTime, long n) {
        Cell c = cell(task, MinuteLedger.minuteOf(readTime), n);
        if (c == null) {
            return;
        }
        c.counts[ReportCount.LINES_COMMITTED.ordinal()] += n;
        if (c.readSlots == null) {
            if (timedKeys >= MAX_TIMED_KEYS) {
                SinkReports.latencyOverflowed(n);
                return;
            }
            c.readSlots = new int[SLOTS];
            timedKeys++;
        }
        int slot = (int) (Math.floorMod(readTime, 60_000L) / SLOT_MS);
        long sum = c.readSlots[slot] + n;
        if (sum > Integer.MAX_VALUE) {
            SinkReports.latencyOverflowed(n);
            return;
        }
        c.readSlots[slot] = (int) sum;
    }

    private Cell cell(String task, long readMinute, long n) {
        if (n == 0 || SinkReports.ledger() == null) {
            return null;
        }
        Key k = new Key(task, readMinute);
        Cell c = open.get(k);
        if (c == null) {
            if (keys >= MAX_KEYS) {
                SinkReports.overflowed(n);
                return null;
            }
            c = new Cell();
            open.put(k, c);
            keys++;
        }
        return c;
    }

    /** The checkpoint barrier passed: what is open belongs to this checkpoint. */
    public void snapshot(long checkpointId) {
        if (!open.isEmpty()) {
            Map<Key, Cell> prior = filed.put(checkpointId, open);
            if (prior != null) {
                throw new IllegalStateException("checkpoint " + checkpointId + " snapshotted twice");
            }
            open = new HashMap<>();
        }
    }

    /** The checkpoint completed: its files (and those of earlier ones) are committed. */
    public void complete(long checkpointId) {
        MinuteLedger ledger = SinkReports.ledger();
        long now = clock.getAsLong();
        for (Iterator<Map.Entry<Long, Map<Key, Cell>>> it = filed.headMap(checkpointId, true).entrySet().iterator(); it.hasNext(); ) {
            Map<Key, Cell> cells = it.next().getValue();
            it.remove();
            keys -= cells.size();
            for (Map.Entry<Key, Cell> e : cells.entrySet()) {
                Cell c = e.getValue();
                if (c.readSlots != null) {
                    timedKeys--;
                }
                if (ledger == null) {
                    continue;
                }
                String task = e.getKey().task();
                long minute = e.getKey().minute();
                for (ReportCount rc : ReportCount.values()) {
                    if (c.counts[rc.ordinal()] != 0) {
                        ledger.add(task, minute, rc, c.counts[rc.ordinal()]);
                    }
                }
                if (c.readSlots != null) {
                    ledger.addLatency(task, minute, latencies(minute, c.readSlots, now));
                }
            }
        }
    }

    /** Each slot's lines at (commit time - slot start). */
    private static LatencyHistogram latencies(long minute, int[] readSlots, long committedAt) {
        LatencyHistogram h = new LatencyHistogram();
        long start = minute * 60_000L;
        for (int i = 0; i < readSlots.length; i++) {
            if (readSlots[i] != 0) {
                h.record(committedAt - (start + (long) i * SLOT_MS), readSlots[i]);
            }
        }
        return h;
    }

    /** (task, minute) keys held, open and filed. */
    public int keys() {
        return keys;
    }
}
