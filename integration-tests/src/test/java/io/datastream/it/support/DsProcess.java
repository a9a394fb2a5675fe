package io.datastream.it.support;

import static org.awaitility.Awaitility.await;

import io.datastream.deploy.Ds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code ds} command ({@code ds router --config ...}, {@code ds agent ...}) running as a
 * separate JVM on this module's test class path, as a user runs it. Its console (stdout and stderr)
 * is appended to a file across restarts; {@link #kill()} is a kill -9.
 */
public final class DsProcess implements AutoCloseable {
    private final String name;
    private final List<String> args;
    private final Path console;
    private final String heap;
    private final String mainClass;
    private final String extraClasspath;
    private Process process;
    private long consoleMark;

    private DsProcess(String name, String mainClass, List<String> args, Path console, String heap, String extraClasspath) {
        this.name = name;
        this.mainClass = mainClass;
        this.args = List.copyOf(args);
        this.console = console;
        this.heap = heap;
        this.extraClasspath = extraClasspath;
    }

    /** Starts {@code ds <args>} with -Xmx{@code heap}; the console goes to {@code console}. */
    public static DsProcess start(String name, Path console, String heap, List<String> args) {
        return start(name, console, heap, args, null);
    }

    /**
     * The same with {@code extraClasspath} appended to the class path, as {@code bin/ds} appends
     * {@code HADOOP_CLASSPATH}; null for none.
     */
    public static DsProcess start(String name, Path console, String heap, List<String> args, String extraClasspath) {
        DsProcess p = new DsProcess(name, Ds.class.getName(), args, console, heap, extraClasspath);
        p.start();
        return p;
    }

    /** Starts the main class {@code mainClass} of this module's test class path (a test helper such as a Kafka node). */
    public static DsProcess startMain(String name, Path console, String heap, String mainClass, List<String> args) {
        DsProcess p = new DsProcess(name, mainClass, args, console, heap, null);
        p.start();
        return p;
    }

    /** Starts it (again, after {@link #kill()} or {@link #stop()}), with the same arguments. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                + (extraClasspath == null ? "" : java.io.File.pathSeparator + extraClasspath);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap));
        cmd.addAll(JvmFlags.forProcesses());
        cmd.addAll(List.of("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp", cp, mainClass));
        cmd.addAll(args);
        try {
            Files.createDirectories(console.getParent());
            consoleMark = Files.exists(console) ? Files.size(console) : 0;
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + name, e);
        }
    }

    /** kill -9, and waits until it is gone. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(30));
        }
    }

    /** SIGTERM (a clean stop: drain, flush checkpoints); kill -9 if it has not exited within a minute. */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!waitFor(Duration.ofSeconds(60))) {
                process.destroyForcibly();
                waitFor(Duration.ofSeconds(30));
            }
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The process id of the running (or last) JVM. */
    public synchronized long pid() {
        return process.pid();
    }

    public String name() {
        return name;
    }

    /** The console written since the last start. */
    public synchronized String console() {
        try {
            if (!Files.exists(console)) {
                return "";
            }
            try (SeekableByteChannel ch = Files.newByteChannel(console)) {
                long from = Math.min(consoleMark, ch.size());
                ByteBuffer buf = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, ch.size() - from));
                ch.position(from);
                while (buf.hasRemaining() && ch.read(buf) > 0) {
                    // read what is there since the last start
                }
                return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the console since the last start contains {@code text}; fails early if the process died. */
    public void awaitConsole(String text, Duration timeout) {
        await(name + " to print '" + text + "'").atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            return console().contains(text);
        });
    }

    /** The last lines of the console, for failure messages. */
    public String tail() {
        String c = console();
        return c.length() <= 4000 ? c : c.substring(c.length() - 4000);
    }

    private boolean waitFor(Duration d) {
        try {
            return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return name;
    }
}
