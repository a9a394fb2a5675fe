package io.datastream.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ds ctl audit TASK [--since 1h]}: the tier-by-tier count audit of a task, one line per
 * minute and a total line.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Compare, minute by minute, the lines agents read with the lines acknowledged, written to Kafka and"
                + " committed by the sink.",
            "A minute is 'in flight' until it is older than audit.finalityMs, then ok, lost (a tier has fewer lines) or"
                + " duplicated (a tier has more). Lines agents dropped and counted (DROPPED) are not losses."})
public final class AuditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TASK", description = "task id")
    String task;

    @Option(names = "--since", paramLabel = "AGE", defaultValue = "1h",
            description = "how far back: an age (90m, 1h, 2d) or an ISO-8601 instant (default: ${DEFAULT-VALUE})")
    String since;

    @Override
    public Integer call() {
        CtlCommand ctl = CtlCommand.of(spec);
        return ctl.run(spec, (client, out) -> {
            JsonNode audit = client.get(ControlClient.query(TaskCommand.taskPath(task) + "/audit",
                    List.of(Map.entry("since", since))));
            if (ctl.json()) {
                out.println(TaskFiles.pretty(audit));
                return;
            }
            List<String> reporting = new ArrayList<>();
            audit.path("reporting").forEach(n -> reporting.add(n.asText()));
            boolean routers = reporting.contains("router");
            boolean sink = reporting.contains("sink");
            Table t = new Table("MINUTE", "READ", "DROPPED", "ACKED", "IN KAFKA", "COMMITTED", "DUP DROPPED", "STATUS", "DIFF");
            for (JsonNode w : audit.path("windows")) {
                row(t, Instant.ofEpochSecond(w.path("minute").asLong() * 60).toString(), w, routers, sink);
            }
            row(t, "TOTAL", audit.path("total"), routers, sink);
            t.print(out);
            for (String tier : List.of("agent", "router", "sink")) {
                if (!reporting.contains(tier) && audit.path("windows").size() > 0) {
                    out.println("no " + tier + " reported for this task in the range: its column is '-' and left out of the verdicts");
                }
            }
            List<String> reasons = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = audit.path("droppedByReason").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                reasons.add(e.getKey() + " " + e.getValue().asLong());
            }
            if (!reasons.isEmpty()) {
                out.println("dropped by agents and counted (not lost): " + String.join(", ", reasons));
            }
            out.flush();
        });
    }

    private static void row(Table t, String when, JsonNode w, boolean routers, boolean sink) {
        t.row(when, w.path("read").asLong(), w.path("dropped").asLong(), w.path("acked").asLong(),
                routers ? w.path("inKafka").asLong() : null, sink ? w.path("committed").asLong() : null,
                sink ? w.path("duplicatesDropped").asLong() : null, w.path("status").asText(), diff(w));
    }

    private static String diff(JsonNode w) {
        if (w.path("missing").asLong() > 0 && w.path("extra").asLong() > 0) {
            return "-" + w.path("missing").asLong() + " +" + w.path("extra").asLong();
        }
        if (w.path("missing").asLong() > 0) {
            return "-" + w.path("missing").asLong();
        }
        if (w.path("extra").asLong() > 0) {
            return "+" + w.path("extra").asLong();
        }
        return "";
    }
}
