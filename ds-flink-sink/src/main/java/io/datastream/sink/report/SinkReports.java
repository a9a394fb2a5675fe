package io.datastream.sink.report;

import io.datastream.protocol.report.MinuteLedger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ledger of the sink job running in this JVM, installed by the process that runs the job
 * ({@code ds sink}, {@code ds standalone}, on a local MiniCluster) when minute reports are on.
 * JVM-wide because Flink creates the operators itself. With no ledger installed the operators'
 * counts are not kept (reports are off).
 */
public final class SinkReports {
    private static volatile MinuteLedger ledger;
    private static final AtomicLong overflow = new AtomicLong();
    private static final AtomicLong latencyOverflow = new AtomicLong();

    private SinkReports() {
    }

    /** Installs the ledger the operators count into (null: reports off). */
    public static void install(MinuteLedger l) {
        ledger = l;
    }

    /** The installed ledger, or null. */
    public static MinuteLedger ledger() {
        return ledger;
    }

    /** Counts not kept because an operator held too many uncommitted (task, minute) counts. */
    public static long overflow() {
        return overflow.get();
    }

    /** Committed lines whose latency was not kept: an operator held read times for too many (task, minute) keys. */
    public static long latencyOverflow() {
        return latencyOverflow.get();
    }

    static void latencyOverflowed(long n) {
        latencyOverflow.addAndGet(n);
    }

    static void overflowed(long n) {
        overflow.addAndGet(n);
    }
}
