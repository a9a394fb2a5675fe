package io.datastream.registry.task;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Map;

/**
 * Which agents run a task: hosts whose name matches one of {@code hostnames} (globs such as
 * {@code web-*}; empty = any host) and that carry every label of {@code labels}.
 */
public record HostSelector(List<String> hostnames, Map<String, String> labels) {
    public static final HostSelector ALL = new HostSelector(List.of(), Map.of());

    public HostSelector {
        hostnames = hostnames == null ? List.of() : List.copyOf(hostnames);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public boolean matches(String hostname, Map<String, String> agentLabels) {
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!e.getValue().equals(agentLabels.get(e.getKey()))) {
                return false;
            }
        }
        if (hostnames.isEmpty()) {
            return true;
        }
        for (String glob : hostnames) {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            if (m.matches(Path.of(hostname))) {
                return true;
            }
        }
        return false;
    }
}
