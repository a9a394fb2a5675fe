package io.datastream.registry.task;

import io.datastream.config.Doc;

import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which agents run a task: hosts whose name matches one of {@code hostnames} (globs such as
 * {@code web-*}; empty = any host) and that carry every label of {@code labels}.
 */
public record HostSelector(
        @Doc("globs of the host names that run the task (`web-*`); empty = any host")
        List<String> hostnames,
        @Doc("labels a host must carry, every one of them")
        Map<String, String> labels) {
    public static final HostSelector ALL = new HostSelector(List.of(), Map.of());

    /** Compiled globs, shared: tasks name few distinct globs; cleared if it ever grows large. */
    private static final Map<String, PathMatcher> MATCHERS = new ConcurrentHashMap<>();
    private static final int MAX_CACHED = 4096;

    public HostSelector {
        // keep nulls so TaskSpec.validate() can report them
        hostnames = hostnames == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(hostnames));
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    public boolean matches(String hostname, Map<String, String> agentLabels) {
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!Objects.equals(e.getValue(), agentLabels.get(e.getKey()))) {
                return false;
            }
        }
        if (hostnames.isEmpty()) {
            return true;
        }
        Path host;
        try {
            host = Path.of(hostname);
        } catch (InvalidPathException e) {
            return false;
        }
        for (String glob : hostnames) {
            if (glob != null && matcher(glob).matches(host)) {
                return true;
            }
        }
        return false;
    }

    private static PathMatcher matcher(String glob) {
        PathMatcher m = MATCHERS.get(glob);
        if (m == null) {
            try {
                m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            } catch (IllegalArgumentException e) {
                return p -> false; // invalid globs never match (validate() reports them)
            }
            if (MATCHERS.size() >= MAX_CACHED) {
                MATCHERS.clear();
            }
            MATCHERS.put(glob, m);
        }
        return m;
    }
}
