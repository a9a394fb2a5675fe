package io.datastream.agent.discovery;

import io.datastream.agent.fingerprint.FileStat;
import io.datastream.registry.task.TaskSpec;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the files of a task: walks each glob from its static base directory (no deeper than
 * the glob reaches unless it has {@code **}), keeps regular files that match a path glob and no
 * exclude glob, and stats them. Bounded: at most {@code maxFiles} files and
 * {@code 20 x maxFiles} visited entries per scan; unreadable directories are reported and skipped.
 * A task outside the agent's {@link PathPolicy} is not scanned at all (its result says why), and
 * a file that is a symlink out of its glob's root is skipped (directory symlinks are never
 * descended).
 */
public final class GlobScanner {
    private static final int MAX_ERRORS = 5;

    private final int maxFiles;
    private final PathPolicy policy;

    /** A scanner that reads anywhere but /proc, /sys and /dev (tests). */
    public GlobScanner(int maxFiles) {
        this(maxFiles, new PathPolicy(List.of(Path.of("/"))));
    }

    public GlobScanner(int maxFiles, PathPolicy policy) {
        this.maxFiles = maxFiles;
        this.policy = policy;
    }

    /** The directories a scan visited, for watching; filled by {@link #scan}. */
    public record Scan(ScanResult result, Set<Path> directories) {
    }

    public Scan scan(TaskSpec spec) {
        String refused = policy.refusal(spec);
        if (refused != null) {
            return new Scan(new ScanResult(spec, List.of(), false, List.of(refused), refused), Set.of());
        }
        List<PathMatcher> excludes = new ArrayList<>();
        for (String g : spec.exclude()) {
            excludes.add(FileSystems.getDefault().getPathMatcher("glob:" + g));
        }
        Map<Path, Found> found = new LinkedHashMap<>();
        Set<Path> dirs = new LinkedHashSet<>();
        List<String> errors = new ArrayList<>();
        boolean[] over = {false};
        long[] visited = {0};
        long maxVisited = 20L * maxFiles + 1000;
        for (String glob : spec.paths()) {
            if (over[0]) {
                break;
            }
            PathMatcher include = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            Path base = baseDir(glob);
            int depth = maxDepth(glob);
            if (!Files.isDirectory(base)) {
                if (base.getParent() != null && Files.isDirectory(base.getParent())) {
                    dirs.add(base.getParent());
                }
                if (depth == 0 && Files.isRegularFile(base)
                        && (!Files.isSymbolicLink(base) || policy.follow(spec.id(), base, base.getParent()))) {
                    add(base, excludes, found, errors);
                }
                continue;
            }
            try {
                Files.walkFileTree(base, EnumSet.noneOf(java.nio.file.FileVisitOption.class), depth, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        dirs.add(dir);
                        return count();
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (!attrs.isDirectory() && include.matches(file)
                                && (!attrs.isSymbolicLink() || policy.follow(spec.id(), file, base))) {
                            if (found.size() >= maxFiles && !found.containsKey(file)) {
                                over[0] = true;
                                return FileVisitResult.TERMINATE;
                            }
                            add(file, excludes, found, errors);
                        }
                        return count();
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        if (!(e instanceof NoSuchFileException) && errors.size() < MAX_ERRORS) {
                            errors.add(file + ": " + describe(e));
                        }
                        return count();
                    }

                    private FileVisitResult count() {
                        if (++visited[0] > maxVisited) {
                            over[0] = true;
                            if (errors.size() < MAX_ERRORS) {
                                errors.add("glob " + glob + " walks more than " + maxVisited + " entries; the rest is not scanned");
                            }
                            return FileVisitResult.TERMINATE;
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                if (errors.size() < MAX_ERRORS) {
                    errors.add(base + ": " + describe(e));
                }
            }
        }
        return new Scan(new ScanResult(spec, new ArrayList<>(found.values()), over[0], errors), dirs);
    }

    private static void add(Path file, List<PathMatcher> excludes, Map<Path, Found> found, List<String> errors) {
        for (PathMatcher ex : excludes) {
            if (ex.matches(file)) {
                return;
            }
        }
        try {
            FileStat st = FileStat.of(file);
            if (st.regular()) {
                found.put(file, new Found(file, st));
            }
        } catch (NoSuchFileException e) {
            // gone between listing and stat
        } catch (IOException e) {
            if (errors.size() < MAX_ERRORS) {
                errors.add(file + ": " + describe(e));
            }
        }
    }

    static String describe(IOException e) {
        String name = e.getClass().getSimpleName();
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? name : name + ": " + e.getMessage();
    }

    /** The longest leading part of a glob without glob characters. */
    static Path baseDir(String glob) {
        String[] parts = glob.split("/");
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            if (p.isEmpty()) {
                continue;
            }
            if (isGlob(p)) {
                break;
            }
            sb.append('/').append(p);
        }
        return Path.of(sb.length() == 0 ? "/" : sb.toString());
    }

    /** How deep below the base directory the glob reaches. */
    static int maxDepth(String glob) {
        if (glob.contains("**")) {
            return Integer.MAX_VALUE;
        }
        String[] parts = glob.split("/");
        int depth = 0;
        boolean inGlob = false;
        for (String p : parts) {
            if (p.isEmpty()) {
                continue;
            }
            if (isGlob(p)) {
                inGlob = true;
            }
            if (inGlob) {
                depth++;
            }
        }
        return depth;
    }

    private static boolean isGlob(String part) {
        for (int i = 0; i < part.length(); i++) {
            char ch = part.charAt(i);
            if (ch == '*' || ch == '?' || ch == '[' || ch == '{' || ch == '\\') {
                return true;
            }
        }
        return false;
    }
}
