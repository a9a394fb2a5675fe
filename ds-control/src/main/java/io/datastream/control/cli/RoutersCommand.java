package io.datastream.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ds ctl routers}: live routers with their load. */
@Command(name = "routers", mixinStandardHelpOptions = true, description = "List live routers.")
public final class RoutersCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "GLOB", description = "host name glob")
    String host;

    @Option(names = "--state", paramLabel = "STATE", description = "active or draining")
    String state;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "show at most N routers (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be >= 1");
        }
        CtlCommand ctl = CtlCommand.of(spec);
        return ctl.run(spec, (client, out) -> {
            AgentsCommand.Pages pages = AgentsCommand.Pages.fetch(client, "/api/v1/routers",
                    List.of(Map.entry("host", host == null ? "" : host), Map.entry("state", state == null ? "" : state)), limit);
            if (ctl.json()) {
                out.println(TaskFiles.pretty(pages.asJson()));
                return;
            }
            Table t = new Table("ID", "ADDRESS", "STATE", "LOAD", "POOL USED", "CONNECTIONS", "VERSION", "UPDATED");
            for (JsonNode r : pages.items()) {
                t.row(r.path("id").asText(), r.path("host").asText() + ":" + r.path("port").asInt(), Formats.text(r.get("state")),
                        String.format(Locale.ROOT, "%.0f%%", r.path("load").asDouble() * 100),
                        Formats.bytes(r.path("poolUsedBytes").asLong()) + " / " + Formats.bytes(r.path("poolCapacityBytes").asLong()),
                        r.path("connections").asInt(), Formats.text(r.get("version")),
                        Formats.ago(ctl.clock(), r.path("updatedAtMillis").asLong()));
            }
            t.print(out);
            out.println(pages.footer("routers"));
        });
    }
}
