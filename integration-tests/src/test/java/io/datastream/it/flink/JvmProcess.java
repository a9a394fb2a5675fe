package io.datastream.it.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One JVM of the Flink cluster (a JobManager or a TaskManager), its console appended to a file;
 * {@link #kill()} is a kill -9, {@link #close()} a SIGTERM (kill -9 after 30 s).
 */
final class JvmProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path console;

    private JvmProcess(String name, Process process, Path console) {
        this.name = name;
        this.process = process;
        this.console = console;
    }

    static JvmProcess start(String name, List<String> command, Path console) {
        try {
            Files.createDirectories(console.getParent());
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile())).start();
            return new JvmProcess(name, p, console);
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + name, e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** kill -9, and waits until it is gone. */
    void kill() {
        process.destroyForcibly();
        waitFor(30);
    }

    /** The last 3,000 characters of its console, for failure messages. */
    String tail() {
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
