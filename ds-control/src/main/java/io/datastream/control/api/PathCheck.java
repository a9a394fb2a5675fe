package io.datastream.control.api;

import io.datastream.registry.member.AgentInfo;
import io.datastream.registry.task.FieldError;
import io.datastream.registry.task.PathRoots;
import io.datastream.registry.task.TaskSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Control's check of a task's paths against the agents' allow-lists, when the task is created or
 * updated. The live agents that match the task's host selector and publish their {@code
 * paths.allow} decide: a glob that none of them allows is an error (400, the task is not
 * written); a glob that only some allow is a warning in the answer (the others will refuse the
 * task, as its status will show). When no matching agent publishes its allow-list (none
 * registered yet, or older agents) the paths are accepted with a warning: the agents check them
 * when they read the task. A glob under /proc, /sys or /dev is always an error. The check is
 * lexical: symlinks are checked by each agent on its host.
 */
final class PathCheck {
    /** Agents named at most in one message. */
    private static final int MAX_NAMED = 3;

    /** Refusals (field errors) and warnings. */
    record Result(List<FieldError> errors, List<String> warnings) {
    }

    private PathCheck() {
    }

    static Result check(TaskSpec spec, List<AgentInfo> agents) {
        List<FieldError> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<AgentInfo> matching = new ArrayList<>();
        for (AgentInfo a : agents) {
            if (a.pathsAllow() != null && spec.hosts().matches(a.host(), a.labels())) {
                matching.add(a);
            }
        }
        for (int i = 0; i < spec.paths().size(); i++) {
            String glob = spec.paths().get(i);
            Path system = PathRoots.system(glob);
            if (system != null) {
                errors.add(new FieldError("paths[" + i + "]", "'" + glob + "' is under " + system + ", which an agent never reads"));
                continue;
            }
            if (matching.isEmpty()) {
                continue;
            }
            List<AgentInfo> refusing = matching.stream().filter(a -> !PathRoots.allowed(glob, a.pathsAllow())).toList();
            if (refusing.size() == matching.size()) {
                errors.add(new FieldError("paths[" + i + "]", "'" + glob + "' is outside the paths.allow of every agent the task"
                        + " selects: " + describe(refusing)));
            } else if (!refusing.isEmpty()) {
                warnings.add("paths[" + i + "]: '" + glob + "' is outside the paths.allow of " + refusing.size() + " of the "
                        + matching.size() + " agents the task selects, which will refuse it: " + describe(refusing));
            }
        }
        if (matching.isEmpty() && errors.isEmpty()) {
            warnings.add("no live agent that the task selects publishes its paths.allow: the paths were not checked against"
                    + " allow-lists (each agent checks them when it reads the task)");
        }
        return new Result(errors, warnings);
    }

    private static String describe(List<AgentInfo> agents) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(MAX_NAMED, agents.size()); i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(agents.get(i).id()).append(' ').append(agents.get(i).pathsAllow());
        }
        if (agents.size() > MAX_NAMED) {
            b.append(" and ").append(agents.size() - MAX_NAMED).append(" more");
        }
        return b.toString();
    }
}
