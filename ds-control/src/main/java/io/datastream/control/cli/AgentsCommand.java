package io.datastream.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    @Option(names = "--state", paramLabel = "STATE", description = "agents with a task in this state (running, parked, stopped; idle = no task)")
    String state;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "show at most N agents (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be >= 1");
        }
        CtlCommand ctl = CtlCommand.of(spec);
        return ctl.run(spec, (client, out) -> {
            List<Map.Entry<String, String>> params = new ArrayList<>();
            params.add(Map.entry("host", host == null ? "" : host));
            for (String l : labels) {
                params.add(Map.entry("label", l));
            }
            params.add(Map.entry("task", task == null ? "" : task));
            params.add(Map.entry("state", state == null ? "" : state));
            Pages pages = Pages.fetch(client, "/api/v1/agents", params, limit);
            if (ctl.json()) {
                out.println(TaskFiles.pretty(pages.asJson()));
                return;
            }
            Table t = new Table("ID", "HOST", "VERSION", "LABELS", "TASKS", "ROUTER", "UPDATED");
            for (JsonNode a : pages.items()) {
                t.row(a.path("id").asText(), Formats.text(a.get("host")), Formats.text(a.get("version")),
                        Formats.labels(a.path("labels")), Formats.list(a.path("tasks")), Formats.text(a.get("router")),
                        Formats.ago(ctl.clock(), a.path("updatedAtMillis").asLong()));
            }
            t.print(out);
            out.println(pages.footer("agents"));
        });
    }

    /** Pages of a list route followed with the {@code after} cursor until {@code limit} items. */
    record Pages(List<JsonNode> items, int total) {
        static Pages fetch(ControlClient client, String path, List<Map.Entry<String, String>> filter, int limit) throws CtlException {
            List<JsonNode> items = new ArrayList<>();
            int total = 0;
            String after = null;
            do {
                List<Map.Entry<String, String>> params = new ArrayList<>();
                for (Map.Entry<String, String> p : filter) {
                    if (!p.getValue().isEmpty()) {
                        params.add(p);
                    }
                }
                params.add(Map.entry("limit", String.valueOf(Math.min(1000, limit - items.size()))));
                if (after != null) {
                    params.add(Map.entry("after", after));
                }
                JsonNode page = client.get(ControlClient.query(path, params));
                for (JsonNode n : page.path("items")) {
                    items.add(n);
                }
                total = page.path("total").asInt();
                after = page.hasNonNull("next") ? page.get("next").asText() : null;
            } while (after != null && items.size() < limit);
            return new Pages(items, total);
        }

        ObjectNode asJson() {
            ObjectNode o = TaskFiles.JSON.createObjectNode();
            ArrayNode a = o.putArray("items");
            items.forEach(a::add);
            o.put("total", total);
            return o;
        }

        String footer(String what) {
            return items.size() < total ? items.size() + " of " + total + " " + what + " shown (--limit)" : total + " " + what;
        }
    }
}
