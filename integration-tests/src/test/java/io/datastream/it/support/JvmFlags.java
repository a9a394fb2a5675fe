package io.datastream.it.support;

import java.util.List;

/**
 * The JVM options the suites give the processes they start, besides heap sizes: the serial
 * collector and the C1 compiler only ({@code -XX:TieredStopAtLevel=1}), which start a JVM fast
 * and keep it small on the 2-core test machine. A benchmark sets the system property
 * {@code ds.it.jvm=default} before it starts anything: then the processes get the JVM's defaults
 * (G1, both JIT compilers), as users run them.
 */
public final class JvmFlags {
    private JvmFlags() {
    }

    /** The options (possibly none) to add to a process's command line. */
    public static List<String> forProcesses() {
        return "default".equals(System.getProperty("ds.it.jvm")) ? List.of() : List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    }
}
