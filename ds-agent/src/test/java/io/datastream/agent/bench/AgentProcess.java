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
