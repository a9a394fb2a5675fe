package io.datastream.bench.protocol;

import io.datastream.embedded.logs.LogKind;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The {@link ProtocolBench} operations timed by the thread's CPU time instead of the wall clock:
 * MB of lines per CPU-second. On a shared machine (other builds running) JMH's wall-clock scores
 * swing with the load; CPU time mostly does not, so this is the steadier number to compare
 * changes with. Not a replacement for JMH (no forks, simple warm-up), a complement.
 *
 * <pre>
 * java -cp ds-bench/target/ds-bench.jar io.datastream.bench.protocol.CpuTimeBench [seconds per case, default 3]
 * </pre>
 */
public final class CpuTimeBench {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final String[] CODECS = {"none", "lz4", "zstd-1", "zstd-3"};

    private CpuTimeBench() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        System.out.printf(Locale.ROOT, "%-11s %-7s %14s %14s%n", "kind", "codec", "encode MB/cpu-s", "decode MB/cpu-s");
        for (LogKind kind : LogKind.values()) {
            for (String codec : CODECS) {
                ProtocolBench b = new ProtocolBench();
                b.kind = kind;
                b.codec = codec;
                b.setUp();
                try {
                    double enc = measure(seconds, () -> bh.consume(b.encode1MiB()));
                    double dec = measure(seconds, () -> b.decode1MiB(bh));
                    System.out.printf(Locale.ROOT, "%-11s %-7s %14.0f %14.0f%n", kind, codec, enc, dec);
                } finally {
                    b.tearDown();
                }
            }
        }
        bh.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
    }

    /** One operation on {@link BenchData#SOURCE_BYTES} bytes of source. */
    public interface Op {
        void run() throws Exception;
    }

    /** Warms up for a third of the time, then returns MB (10^6 bytes) of source per CPU-second. */
    public static double measure(double seconds, Op op) throws Exception {
        long warmEnd = System.nanoTime() + (long) (seconds / 3 * 1e9);
        while (System.nanoTime() < warmEnd) {
            op.run();
        }
        long ops = 0;
        long cpu0 = MX.getCurrentThreadCpuTime();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            op.run();
            ops++;
        }
        long cpu = MX.getCurrentThreadCpuTime() - cpu0;
        return ops * (double) BenchData.SOURCE_BYTES / (cpu / 1e9) / 1e6;
    }
}
