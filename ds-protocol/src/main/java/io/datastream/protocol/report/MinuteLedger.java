package io.datastream.protocol.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Pattern;

/**
 * Counts per (task, minute) for a bounded window of recent minutes, waiting to be reported to
 * control. Any thread may add (the tailer and the shipper of an agent, a router's event loops, the
 * sink's operators): each (task, minute) cell is changed atomically under its map bin, so an
 * eviction never loses an add. Only the reporting thread reads ({@link #pending}), acknowledges
 * and evicts.
 *
 * <p>Each cell has a version that every change bumps; the reporter sends the cells whose version
 * control has not acknowledged, so a minute is sent again after it changes or after a failed
 * push, and control's store replaces what it had (reports are full counts, not deltas).
 *
 * <p>Bounds, each counted when hit and never silent: minutes older than the window are refused
 * ({@link Stats#refusedOld}); beyond {@code maxCells} cells new cells are refused
 * ({@link Stats#refusedFull}); task ids control would refuse are not kept
 * ({@link Stats#refusedTaskId}); a cell evicted before control acknowledged it is counted in
 * {@link Stats#minutesDropped}; per cell at most {@link #MAX_REASONS} reasons of a kind, further
 * ones added up under {@code other}.
 */
public final class MinuteLedger {
    /** Task ids control accepts in a report. */
    public static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern REASON = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** Distinct reasons of one kind kept per cell. */
    public static final int MAX_REASONS = 32;
    static final String OTHER_REASON = "other";

    private final int windowMinutes;
    private final int maxCells;
    private final ConcurrentHashMap<Key, Cell> cells = new ConcurrentHashMap<>();
    private final Map<String, Boolean> gaugeWasSet = new ConcurrentHashMap<>();
    private volatile long floor = Long.MIN_VALUE;
    private final AtomicLong refusedOld = new AtomicLong();
    private final AtomicLong refusedFull = new AtomicLong();
    private final AtomicLong refusedTaskId = new AtomicLong();
    private final AtomicLong minutesDropped = new AtomicLong();

    /**
     * @param windowMinutes minutes kept (the current one included); older ones are evicted, sent or not
     * @param maxCells      most (task, minute) cells held at once
     */
    public MinuteLedger(int windowMinutes, int maxCells) {
        if (windowMinutes < 2 || maxCells < 1) {
            throw new IllegalArgumentException("windowMinutes >= 2 and maxCells >= 1, was " + windowMinutes + ", " + maxCells);
        }
        this.windowMinutes = windowMinutes;
        this.maxCells = maxCells;
    }

    /** The epoch minute of a time in milliseconds since the epoch. */
    public static long minuteOf(long epochMillis) {
        return Math.floorDiv(epochMillis, 60_000L);
    }

    record Key(String task, long minute) {
    }

    private static final class Cell {
        final AtomicLongArray counts = new AtomicLongArray(ReportCount.COUNT);
        final Map<String, Long>[] reasons;
        /** Read-to-commit latencies (the sink's), made on first use. */
        LatencyHistogram latency;
        final AtomicLong version = new AtomicLong();
        /** Version control acknowledged (reporting thread only). */
        long acked;

        @SuppressWarnings("unchecked")
        Cell() {
            reasons = new Map[ReasonKind.values().length];
        }
    }

    /** Adds {@code n} to a counter of the task's minute; returns false when it was refused (and counted). */
    public boolean add(String task, long minute, ReportCount count, long n) {
        if (n == 0) {
            return true;
        }
        return change(task, minute, c -> c.counts.addAndGet(count.ordinal(), n));
    }

    /** Adds to two counters of the task's minute at once (one change). */
    public boolean add(String task, long minute, ReportCount a, long na, ReportCount b, long nb) {
        return change(task, minute, c -> {
            c.counts.addAndGet(a.ordinal(), na);
            c.counts.addAndGet(b.ordinal(), nb);
        });
    }

    /** Adds {@code lines} to a reason of the task's minute (the reason's total counter is separate). */
    public boolean addReason(String task, long minute, ReasonKind kind, String reason, long lines) {
        if (lines == 0) {
            return true;
        }
        String r = reason != null && REASON.matcher(reason).matches() ? reason : OTHER_REASON;
        return change(task, minute, c -> {
            Map<String, Long> m = c.reasons[kind.ordinal()];
            if (m == null) {
                m = new LinkedHashMap<>();
                c.reasons[kind.ordinal()] = m;
            }
            String key = m.containsKey(r) || m.size() < MAX_REASONS ? r : OTHER_REASON;
            m.merge(key, lines, Long::sum);
        });
    }

    /** Adds latencies to the task's minute (the sink's read-to-commit latency of the lines read in it). */
    public boolean addLatency(String task, long minute, LatencyHistogram h) {
        if (h.count() == 0) {
            return true;
        }
        return change(task, minute, c -> {
            if (c.latency == null) {
                c.latency = new LatencyHistogram();
            }
            c.latency.add(h);
        });
    }

    /**
     * Sets the gauges (backlog bytes, lag) of the task's minute. A zero value makes no cell unless
     * the task's previous value was not zero, so an idle task reports nothing and a backlog that
     * went back to zero is reported as zero.
     */
    public void gauges(String task, long minute, long backlogBytes, long lagMs) {
        boolean nonZero = backlogBytes != 0 || lagMs != 0;
        Boolean was = gaugeWasSet.get(task);
        if (!nonZero && (was == null || !was)) {
            return;
        }
        boolean ok = change(task, minute, c -> {
            c.counts.set(ReportCount.BACKLOG_BYTES.ordinal(), backlogBytes);
            c.counts.set(ReportCount.LAG_MS.ordinal(), lagMs);
        });
        if (ok && TASK_ID.matcher(task).matches()) {
            gaugeWasSet.put(task, nonZero);
        }
    }

    private boolean change(String task, long minute, java.util.function.Consumer<Cell> apply) {
        if (task == null || !TASK_ID.matcher(task).matches()) {
            refusedTaskId.incrementAndGet();
            return false;
        }
        if (minute < floor) {
            refusedOld.incrementAndGet();
            return false;
        }
        boolean[] ok = {true};
        cells.compute(new Key(task, minute), (k, c) -> {
            if (c == null) {
                if (cells.size() >= maxCells) {
                    ok[0] = false;
                    return null;
                }
                c = new Cell();
            }
            apply.accept(c);
            c.version.incrementAndGet();
            return c;
        });
        if (!ok[0]) {
            refusedFull.incrementAndGet();
        }
        return ok[0];
    }

    /**
     * One minute of one task as it will be sent.
     *
     * @param version the cell's version when it was read: acknowledging it marks that state as sent
     * @param counts  indexed by {@link ReportCount#ordinal()}
     * @param reasons per {@link ReasonKind#ordinal()}, reason to lines (empty maps when none)
     * @param latency the read-to-commit latencies of the minute, or null when none
     */
    public record Entry(String task, long minute, long version, long[] counts, List<Map<String, Long>> reasons,
                        LatencyHistogram latency) {
        public long count(ReportCount c) {
            return counts[c.ordinal()];
        }
    }

    /** The cells control has not acknowledged in their current version, oldest minute first (reporting thread). */
    public List<Entry> pending() {
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<Key, Cell> e : cells.entrySet()) {
            Cell c = e.getValue();
            long v = c.version.get();
            if (v == c.acked) {
                continue;
            }
            long[] counts = new long[ReportCount.COUNT];
            List<Map<String, Long>> reasons = new ArrayList<>();
            LatencyHistogram[] latency = new LatencyHistogram[1];
            // read under the bin lock so the reasons maps are not changing while copied
            cells.computeIfPresent(e.getKey(), (k, cell) -> {
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = cell.counts.get(i);
                }
                for (Map<String, Long> m : cell.reasons) {
                    reasons.add(m == null ? Map.of() : Map.copyOf(m));
                }
                latency[0] = cell.latency == null ? null : cell.latency.copy();
                return cell;
            });
            if (reasons.isEmpty()) {
                continue; // evicted meanwhile
            }
            out.add(new Entry(e.getKey().task(), e.getKey().minute(), v, counts, reasons, latency[0]));
        }
        out.sort(Comparator.comparingLong(Entry::minute).thenComparing(Entry::task));
        return out;
    }

    /** Control stored these entries (reporting thread). */
    public void acknowledge(List<Entry> sent) {
        for (Entry e : sent) {
            Cell c = cells.get(new Key(e.task(), e.minute()));
            if (c != null && e.version() > c.acked) {
                c.acked = e.version();
            }
        }
    }

    /**
     * Forgets minutes that left the window ending at {@code nowMinute}; later adds to them are
     * refused. Those control had not acknowledged are counted in {@link Stats#minutesDropped}.
     * Reporting thread.
     */
    public void evict(long nowMinute) {
        long f = nowMinute - windowMinutes + 1;
        if (f > floor) {
            floor = f;
        }
        for (Key k : cells.keySet()) {
            if (k.minute() < floor) {
                cells.computeIfPresent(k, (key, c) -> {
                    if (c.version.get() != c.acked) {
                        minutesDropped.incrementAndGet();
                    }
                    return null;
                });
            }
        }
    }

    /**
     * What the ledger refused or dropped since it was made.
     *
     * @param cells          (task, minute) cells held now
     * @param refusedOld     changes to a minute older than the window, not counted
     * @param refusedFull    changes that needed a new cell while maxCells were held, not counted
     * @param refusedTaskId  changes for a task id control does not accept, not counted
     * @param minutesDropped minutes evicted before control acknowledged their last state
     */
    public record Stats(int cells, long refusedOld, long refusedFull, long refusedTaskId, long minutesDropped) {
    }

    public Stats stats() {
        return new Stats(cells.size(), refusedOld.get(), refusedFull.get(), refusedTaskId.get(), minutesDropped.get());
    }

    public int windowMinutes() {
        return windowMinutes;
    }
}
