package io.datastream.control.cli;

import java.util.List;
import java.util.Locale;
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

    @Option(names = "--state", paramLabel = "STATE", description = "active, draining, up (both) or down (routers that went away)")
    String state;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "show at most N routers (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
        return Listing.run(spec, limit, "/api/v1/routers", List.of(Listing.param("host", host), Listing.param("state", state)),
                "routers", new String[]{"ID", "ADDRESS", "STATE", "LOAD", "POOL USED", "CONNECTIONS", "VERSION", "UPDATED"},
                (r, clock) -> new Object[]{r.path("id").asText(), r.path("host").asText() + ":" + r.path("port").asInt(),
                    Formats.text(r.get("state")), String.format(Locale.ROOT, "%.0f%%", r.path("load").asDouble() * 100),
                    Formats.bytes(r.path("poolUsedBytes").asLong()) + " / " + Formats.bytes(r.path("poolCapacityBytes").asLong()),
                    r.path("connections").asInt(), Formats.text(r.get("version")),
                    Formats.ago(clock, r.path("updatedAtMillis").asLong())});
    }
}
