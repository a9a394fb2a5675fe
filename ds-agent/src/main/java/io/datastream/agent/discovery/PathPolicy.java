package io.datastream.agent.discovery;

import io.datastream.registry.task.TaskSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which paths this agent may read ({@code paths.allow}). A task's glob is allowed when its fixed
 * leading directories (the glob's root: {@code /var/log/nginx} for {@code /var/log/nginx/*.log})
 * are inside an allowed directory, both as written and as resolved through symlinks, and not under
 * {@code /proc}, {@code /sys} or {@code /dev}, which are never read. A file that is a symlink is
 * followed only when it resolves inside its glob's root (resolved). Refusals are logged once at
 * WARN and counted per task and {@link Reason}. Used on the discovery thread; counts are read by
 * any thread.
 */
public final class PathPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(PathPolicy.class);
    /** Never read, whatever {@code paths.allow} says. */
    public static final List<Path> NEVER = List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));
    /** Distinct refusals remembered (for logging and counting once each). */
    private static final int MAX_REMEMBERED = 16_384;

    /** Why a path was refused; the {@code reason} label of {@code ds_agent_paths_refused_total}. */
    public enum Reason {
        /** A task's glob root is outside {@code paths.allow} (as written or resolved). */
        OUTSIDE_ALLOW,
        /** A task's glob is under /proc, /sys or /dev. */
        SYSTEM,
        /** A file is a symlink that resolves outside its glob's root: not followed. */
        SYMLINK_OUTSIDE_ROOT;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final List<Path> allow;
    private final Map<String, Map<Reason, AtomicLong>> counts = new ConcurrentHashMap<>();
    private final Set<String> seen = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_REMEMBERED;
        }
    });

    /** @param allow absolute directories */
    public PathPolicy(List<Path> allow) {
        this.allow = allow.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    public List<Path> allow() {
        return allow;
    }

    /** Why {@code spec} may not be read, in one line, or null when every glob is allowed. Counted and logged once per task and glob. */
    public String refusal(TaskSpec spec) {
        for (String glob : spec.paths()) {
            Path root = GlobScanner.baseDir(glob).normalize();
            String why = refusalOf(glob, root);
            if (why != null) {
                note(spec.id(), why.startsWith("path '" + glob + "' is under") ? Reason.SYSTEM : Reason.OUTSIDE_ALLOW,
                        spec.id() + "\u0000" + glob, "task " + spec.id() + " refused: " + why);
                return why;
            }
        }
        return null;
    }

    private String refusalOf(String glob, Path root) {
        Path never = never(root);
        if (never != null) {
            return "path '" + glob + "' is under " + never + ", which an agent never reads";
        }
        if (!inside(root, allow)) {
            return "path '" + glob + "' is outside paths.allow " + allow;
        }
        Path real = realExisting(root);
        if (real != null && !real.equals(root)) {
            Path realNever = never(real);
            if (realNever != null) {
                return "path '" + glob + "' resolves to " + real + " (a symlink), under " + realNever + ", which an agent never reads";
            }
            if (!inside(real, realAllow())) {
                return "path '" + glob + "' resolves to " + real + " (a symlink), outside paths.allow " + allow;
            }
        }
        return null;
    }

    /**
     * Whether a file found under {@code root} that is a symlink may be followed: it must resolve
     * inside the root (resolved) and outside /proc, /sys, /dev. A refusal is logged and counted once per link.
     */
    boolean follow(String taskId, Path link, Path root) {
        Path real = realExisting(link);
        if (real == null) {
            return false; // dangling: nothing to read
        }
        Path realRoot = realExisting(root);
        if (realRoot != null && real.startsWith(realRoot) && never(real) == null) {
            return true;
        }
        note(taskId, Reason.SYMLINK_OUTSIDE_ROOT, taskId + "\u0000" + link + "\u0000" + real,
                "task " + taskId + ": symlink " + link + " -> " + real + " points outside " + root + "; not followed");
        return false;
    }

    private List<Path> realAllow() {
        List<Path> out = new ArrayList<>(allow.size());
        for (Path a : allow) {
            Path r = realExisting(a);
            out.add(r == null ? a : r);
        }
        return out;
    }

    private static Path realExisting(Path p) {
        try {
            return Files.exists(p) ? p.toRealPath() : null;
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    private static Path never(Path p) {
        for (Path n : NEVER) {
            if (p.startsWith(n)) {
                return n;
            }
        }
        return null;
    }

    private static boolean inside(Path p, List<Path> roots) {
        for (Path a : roots) {
            if (p.startsWith(a)) {
                return true;
            }
        }
        return false;
    }

    private void note(String taskId, Reason reason, String key, String message) {
        boolean first;
        synchronized (seen) {
            first = seen.add(key);
        }
        if (first) {
            LOG.warn(message);
            counts.computeIfAbsent(taskId, k -> new ConcurrentHashMap<>()).computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        }
    }

    /** Distinct refusals so far, per task and reason (each glob or symlink once). */
    public Map<String, Map<Reason, Long>> counts() {
        Map<String, Map<Reason, Long>> out = new LinkedHashMap<>();
        counts.forEach((task, m) -> {
            Map<Reason, Long> r = new LinkedHashMap<>();
            m.forEach((k, v) -> r.put(k, v.get()));
            out.put(task, r);
        });
        return out;
    }
}
