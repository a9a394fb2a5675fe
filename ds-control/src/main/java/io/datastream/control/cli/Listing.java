package io.datastream.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * What the list commands ({@code ds ctl agents}, {@code ds ctl routers}) share: {@code --limit}
 * checked, the pages of a list route fetched, then either the items as JSON ({@code --json}) or a
 * table with a footer that says how many of how many are shown.
 */
final class Listing {
    /** The cells of one item's table row. */
    @FunctionalInterface
    interface Row {
        Object[] cells(JsonNode item, Clock clock);
    }

    private Listing() {
    }

    /**
     * Runs a list command.
     *
     * @param filter query parameters; empty values are left out
     * @param what   the plural noun of the footer ("agents")
     */
    static int run(CommandSpec spec, int limit, String path, List<Map.Entry<String, String>> filter, String what,
                   String[] headers, Row row) {
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be >= 1");
        }
        CtlCommand ctl = CtlCommand.of(spec);
        return ctl.run(spec, (client, out) -> {
            Pages pages = Pages.fetch(client, path, filter, limit);
            if (ctl.json()) {
                out.println(TaskFiles.pretty(pages.asJson()));
                return;
            }
            Table t = new Table(headers);
            for (JsonNode item : pages.items()) {
                t.row(row.cells(item, ctl.clock()));
            }
            t.print(out);
            out.println(pages.footer(what));
        });
    }

    /** A filter parameter; null becomes empty (left out). */
    static Map.Entry<String, String> param(String name, String value) {
        return Map.entry(name, value == null ? "" : value);
    }

    /** Pages of a list route followed with the {@code after} cursor until {@code limit} items. */
    private record Pages(List<JsonNode> items, int total) {
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
