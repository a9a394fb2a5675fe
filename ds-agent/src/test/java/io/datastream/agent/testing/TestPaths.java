package io.datastream.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The agent's {@code paths.allow} for tests, whose log files live where JUnit's @TempDir makes
 * them: the directory {@link Files#createTempDirectory} uses (the JDK reads java.io.tmpdir once,
 * so it may differ from the property that surefire sets later).
 */
public final class TestPaths {
    private static final Path TMP = probe();

    private TestPaths() {
    }

    private static Path probe() {
        try {
            Path p = Files.createTempDirectory("ds-probe");
            Files.delete(p);
            return p.getParent().toAbsolutePath().normalize();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The temp directory, absolute. */
    public static Path tmp() {
        return TMP;
    }

    /** A {@code paths:} line allowing the temp directory. */
    public static String allowTmp() {
        return "paths: {allow: [\"" + tmp() + "\"]}\n";
    }
}
