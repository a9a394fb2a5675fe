package io.datastream.registry.task;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * The lexical side of an agent's path allow-list, shared by control's check at task creation:
 * a glob's root is its fixed leading directories ({@code /var/log/nginx} for {@code
 * /var/log/nginx/*.log}); it is allowed when inside one of the allowed directories and not under
 * {@code /proc}, {@code /sys} or {@code /dev}. (The agent checks symlinks as well, on its host.)
 */
public final class PathRoots {
    /** Never read by an agent, whatever its allow-list says. */
    public static final List<Path> NEVER = List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));

    private PathRoots() {
    }

    /** The fixed leading directories of an absolute glob ("/" when its first segment is a pattern). */
    public static Path root(String glob) {
        StringBuilder sb = new StringBuilder();
        for (String p : glob.split("/")) {
            if (p.isEmpty()) {
                continue;
            }
            if (isPattern(p)) {
                break;
            }
            sb.append('/').append(p);
        }
        return Path.of(sb.length() == 0 ? "/" : sb.toString());
    }

    private static boolean isPattern(String part) {
        for (int i = 0; i < part.length(); i++) {
            char ch = part.charAt(i);
            if (ch == '*' || ch == '?' || ch == '[' || ch == '{' || ch == '\\') {
                return true;
            }
        }
        return false;
    }

    /** The system directory {@code glob}'s root is under, or null. */
    public static Path system(String glob) {
        Path root;
        try {
            root = root(glob).normalize();
        } catch (InvalidPathException e) {
            return null;
        }
        for (Path n : NEVER) {
            if (root.startsWith(n)) {
                return n;
            }
        }
        return null;
    }

    /** Whether {@code glob}'s root is inside one of {@code allow} (absolute directories), lexically. */
    public static boolean allowed(String glob, List<String> allow) {
        Path root;
        try {
            root = root(glob).normalize();
        } catch (InvalidPathException e) {
            return false;
        }
        if (system(glob) != null) {
            return false;
        }
        for (String a : allow) {
            try {
                if (a != null && root.startsWith(Path.of(a).normalize())) {
                    return true;
                }
            } catch (InvalidPathException e) {
                // not a directory name: allows nothing
            }
        }
        return false;
    }
}
