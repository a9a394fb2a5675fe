package io.datastream.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ds ctl task history ID}: who changed the task, when, and which fields. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Show a task's changes, newest first: when, who (the API token's name, or loopback), what, and the fields changed.")
public final class TaskHistoryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "task id")
    String id;

    @Option(names = "--limit", paramLabel = "N", description = "at most N changes (default: ${DEFAULT-VALUE})")
    int limit = 50;

    @Override
    public Integer call() {
        CtlCommand ctl = CtlCommand.of(spec);
        return ctl.run(spec, (client, out) -> {
            JsonNode history = client.get(TaskCommand.taskPath(id) + "/history?limit=" + limit);
            if (ctl.json()) {
                out.println(TaskFiles.pretty(history));
                return;
            }
            Table t = new Table("TIME", "ACTOR", "ACTION", "VERSION", "CHANGED");
            for (JsonNode c : history.path("items")) {
                t.row(Instant.ofEpochMilli(c.path("atMillis").asLong()).toString(), c.path("actor").asText(),
                        c.path("action").asText(), c.path("version").asInt(), changed(c.path("before"), c.path("after")));
            }
            t.print(out);
        });
    }

    /** The top-level fields whose values differ between two task versions; "-" for a create or delete. */
    static String changed(JsonNode before, JsonNode after) {
        if (!before.isObject() || !after.isObject()) {
            return "-";
        }
        TreeSet<String> names = new TreeSet<>();
        for (Iterator<String> it = before.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        for (Iterator<String> it = after.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        List<String> diff = new ArrayList<>();
        for (String n : names) {
            if (!before.path(n).equals(after.path(n))) {
                diff.add(n);
            }
        }
        return diff.isEmpty() ? "(nothing)" : String.join(", ", diff);
    }
}
