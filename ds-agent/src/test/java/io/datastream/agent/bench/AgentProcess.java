package io.datastream.agent.bench;

import io.datastream.agent.cli.AgentCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An agent in its own JVM, with its CPU time and memory read from /proc. */
final class AgentProcess implements AutoCloseable {
    private static final long CLK_TCK = 100; // USER_HZ on Linux
    private final Process process;

    AgentProcess(Path config, Path log, List<String> jvmArgs) throws IOException {
        this(config, log, jvmArgs, java.util.Map.of());
    }

    AgentProcess(Path config, Path log, List<String> jvmArgs, java.util.Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(AgentCommand.class.getName());
        cmd.add("--config");
        cmd.add(config.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        process = pb.start();
    }

    long pid() {
        return process.pid();
    }

    /** User + system CPU seconds used so far. */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
        return ticks / (double) CLK_TCK;
    }

    /** CPU seconds (user + system) per thread name (/proc/pid/task/N/comm, 15 characters), threads of one name summed. */
    java.util.Map<String, Double> threadCpuSeconds() throws IOException {
        return threadCpuSeconds(true);
    }

    /** As {@link #threadCpuSeconds()}, the system (kernel) part only, or user + system. */
    java.util.Map<String, Double> threadCpuSeconds(boolean withUser) throws IOException {
        java.util.Map<String, Double> m = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid() + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(t.resolve("comm")).trim();
                    String stat = Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    m.merge(name, ((withUser ? Long.parseLong(f[11]) : 0) + Long.parseLong(f[12])) / (double) CLK_TCK, Double::sum);
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return m;
    }

    /** A line of /proc/pid/status in kB (VmRSS, VmHWM). */
    long statusKb(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
