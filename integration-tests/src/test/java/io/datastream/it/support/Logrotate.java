package io.datastream.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Debian's {@code logrotate} (/usr/sbin/logrotate) rotating one log file the way a distribution
 * configures nginx: {@code create} (rename, then a new empty file; {@code postrotate} tells the
 * writer to reopen, like nginx's USR1) or {@code copytruncate}; {@code compress} with
 * {@code delaycompress}, so {@code .1} stays plain and {@code .2.gz} onwards are gzip. Each
 * {@link #rotate()} is one forced run ({@code -f}).
 */
public final class Logrotate {
    /** How the file is rotated. */
    public enum Mode {
        CREATE, COPYTRUNCATE
    }

    public static final Path BINARY = Path.of("/usr/sbin/logrotate");

    private final Path log;
    private final Path conf;
    private final Path state;
    private final Path reopenFlag;
    private int rotations;

    /**
     * @param log        the file rotated
     * @param mode       create or copytruncate
     * @param reopenFlag created by {@code postrotate} (create mode): the writer reopens when it sees it
     */
    public Logrotate(Path log, Mode mode, Path reopenFlag, Path workDir) {
        this.log = log;
        this.reopenFlag = reopenFlag;
        try {
            Files.createDirectories(workDir);
            this.conf = workDir.resolve("logrotate.conf");
            this.state = workDir.resolve("logrotate.state");
            String body = log + " {\n"
                    + "    rotate 100000\n"
                    + "    missingok\n"
                    + "    nodateext\n"
                    + "    compress\n"
                    + "    delaycompress\n"
                    + (mode == Mode.CREATE ? "    create 0644\n" : "    copytruncate\n")
                    + (mode == Mode.CREATE ? "    postrotate\n        touch " + reopenFlag + "\n    endscript\n" : "")
                    + "}\n";
            Files.writeString(conf, body, StandardCharsets.UTF_8);
            // logrotate refuses a config that group or others can write
            Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** One forced rotation; fails with logrotate's own output when it exits non-zero. */
    public void rotate() {
        try {
            Process p = new ProcessBuilder(BINARY.toString(), "-f", "-s", state.toString(), conf.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("logrotate failed (" + p.exitValue() + "): " + out);
            }
            rotations++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public int rotations() {
        return rotations;
    }

    public Path reopenFlag() {
        return reopenFlag;
    }

    /** The rotated generations: {@code log.N} and {@code log.N.gz}. */
    public List<Path> generations() throws IOException {
        String name = log.getFileName().toString();
        try (Stream<Path> files = Files.list(log.getParent())) {
            return files.filter(f -> f.getFileName().toString().startsWith(name + ".")).sorted().toList();
        }
    }

    /** Every line now in the log and its generations (gzip ones decompressed). */
    public List<String> linesInFiles() throws IOException {
        List<String> lines = new ArrayList<>();
        List<Path> all = new ArrayList<>(generations());
        if (Files.exists(log)) {
            all.add(log);
        }
        for (Path f : all) {
            try (InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(f)) : Files.newInputStream(f)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                for (String l : text.split("\n")) {
                    if (!l.isEmpty()) {
                        lines.add(l);
                    }
                }
            }
        }
        return lines;
    }
}
