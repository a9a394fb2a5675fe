package io.datastream.control.inventory;

import io.datastream.registry.task.HostSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A task's {@link HostSelector} compiled once, to test thousands of agents quickly; same meaning
 * as {@link HostSelector#matches} (every label must be equal; any host glob must match; no glob = any host).
 */
public final class SelectorMatcher {
    private final Map<String, String> labels;
    private final List<HostGlob> globs;

    public SelectorMatcher(HostSelector selector) {
        this.labels = selector.labels();
        this.globs = new ArrayList<>(selector.hostnames().size());
        for (String g : selector.hostnames()) {
            globs.add(HostGlob.of(g));
        }
    }

    public boolean matches(String host, Map<String, String> agentLabels) {
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!e.getValue().equals(agentLabels.get(e.getKey()))) {
                return false;
            }
        }
        if (globs.isEmpty()) {
            return true;
        }
        for (HostGlob g : globs) {
            if (g.matches(host)) {
                return true;
            }
        }
        return false;
    }
}
