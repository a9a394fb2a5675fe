package io.datastream.control.inventory;

import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;

/**
 * A host name glob ({@code web-*}, {@code db-[0-9]*}, {@code {a,b}-*}) with the same syntax and
 * meaning as task host selectors ({@link io.datastream.registry.task.HostSelector}), compiled once.
 */
public final class HostGlob {
    private final String glob;
    private final PathMatcher matcher;

    private HostGlob(String glob, PathMatcher matcher) {
        this.glob = glob;
        this.matcher = matcher;
    }

    /** Compiles a glob; an invalid one is an {@link IllegalArgumentException} with the reason. */
    public static HostGlob of(String glob) {
        if (glob == null || glob.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return new HostGlob(glob, FileSystems.getDefault().getPathMatcher("glob:" + glob));
    }

    /** True when the host name matches; a name that is not a legal path (NUL bytes) never does. */
    public boolean matches(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        try {
            return matcher.matches(Path.of(host));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return glob;
    }
}
