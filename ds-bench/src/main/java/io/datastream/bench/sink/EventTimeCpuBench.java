package io.datastream.bench.sink;

import io.datastream.bench.protocol.BenchData;
import io.datastream.bench.protocol.CpuTimeBench;
import io.datastream.embedded.logs.LogKind;
import java.util.Locale;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The {@link EventTimeBench} operations timed by the thread's CPU time (steadier than JMH's wall
 * clock on a shared machine): MB of lines per CPU-second and CPU nanoseconds per line, for the
 * parser alone and for the sink's per-line path with and without it.
 *
 * <pre>
 * java -cp ds-bench/target/ds-bench.jar io.datastream.bench.sink.EventTimeCpuBench [seconds per case, default 3]
 * </pre>
 */
public final class EventTimeCpuBench {
    private static final Object[][] CASES = {
        {LogKind.WEB_ACCESS, "none"}, {LogKind.WEB_ACCESS, "auto"}, {LogKind.WEB_ACCESS, "clf"},
        {LogKind.JAVA_APP, "none"}, {LogKind.JAVA_APP, "auto"}, {LogKind.JAVA_APP, "iso8601"}, {LogKind.JAVA_APP, "pattern"},
    };

    private EventTimeCpuBench() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        System.out.printf(Locale.ROOT, "%-11s %-8s %6s %6s %12s %10s %12s %10s%n",
                "kind", "format", "lines", "found", "parse MB/s", "parse ns", "sink MB/s", "sink ns");
        for (Object[] c : CASES) {
            EventTimeBench b = new EventTimeBench();
            b.kind = (LogKind) c[0];
            b.format = (String) c[1];
            b.setUp();
            try {
                int lines = b.lineCount();
                double parse = b.format.equals("none") ? Double.NaN : CpuTimeBench.measure(seconds, () -> bh.consume(b.parse()));
                double sink = CpuTimeBench.measure(seconds, () -> bh.consume(b.sink(bh)));
                System.out.printf(Locale.ROOT, "%-11s %-8s %6d %6d %12.0f %10.1f %12.0f %10.1f%n", b.kind, b.format, lines,
                        b.format.equals("none") ? 0 : b.foundInSetUp(), parse, nsPerLine(parse, lines), sink, nsPerLine(sink, lines));
            } finally {
                b.tearDown();
            }
        }
        bh.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
    }

    /** CPU ns per line at {@code mbPerCpuSecond} over {@link BenchData#SOURCE_BYTES} bytes of {@code lines} lines. */
    private static double nsPerLine(double mbPerCpuSecond, int lines) {
        return BenchData.SOURCE_BYTES * 1000.0 / mbPerCpuSecond / lines;
    }
}
