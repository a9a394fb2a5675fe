package io.datastream.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM that is not a ds command (a Flink JobManager or TaskManager, HDFS), its console appended to a file;
 * {@link #kill()} is a kill -9, {@link #close()} a SIGTERM (kill -9 after 30 s).
 */
public final class JvmProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path console;

    private JvmProcess(String name, Process process, Path console) {
        this.name = name;
        this.process = process;
        this.console = console;
    }

    public static JvmProcess start(String name, List<String> command, Path console) {
        try {
            Files.createDirectories(console.getParent());
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile())).start();
            return new JvmProcess(name, p, console);
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + name, e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** kill -9, and waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        waitFor(30);
    }

    /** The last 3,000 characters of its console, for failure messages. */
    public String tail() {
        try {
            if (!Files.exists(console)) {
                return "";
            }
            String c = Files.readString(console, StandardCharsets.UTF_8);
            return c.length() <= 3000 ? c : c.substring(c.length() - 3000);
        } catch (IOException e) {
            return "(console unreadable: " + e + ")";
        }
    }

    private boolean waitFor(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (!waitFor(30)) {
                kill();
            }
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
