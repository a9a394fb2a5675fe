package io.datastream.control.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ds ctl agents}: live agents, filtered. */
@Command(name = "agents", mixinStandardHelpOptions = true, description = "List live agents.")
public final class AgentsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "GLOB", description = "host name glob, e.g. 'web-*'")
    String host;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "label the agent carries (repeatable; KEY alone: has the label)")
    List<String> labels = new ArrayList<>();

    @Option(names = "--task", paramLabel = "ID", description = "agents running this task")
    String task;

    @Option(names = "--state", paramLabel = "STATE", description = "agents with a task in this state (running, parked, stopped; idle = no task; up = every live agent; down = agents that went away)")
    String state;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "show at most N agents (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        params.add(Listing.param("host", host));
        for (String l : labels) {
            params.add(Map.entry("label", l));
        }
        params.add(Listing.param("task", task));
        params.add(Listing.param("state", state));
        return Listing.run(spec, limit, "/api/v1/agents", params, "agents",
                new String[]{"ID", "HOST", "VERSION", "LABELS", "TASKS", "ROUTER", "UPDATED"},
                (a, clock) -> new Object[]{a.path("id").asText(), Formats.text(a.get("host")), Formats.text(a.get("version")),
                    Formats.labels(a.path("labels")), Formats.list(a.path("tasks")), Formats.text(a.get("router")),
                    Formats.ago(clock, a.path("updatedAtMillis").asLong())});
    }
}
