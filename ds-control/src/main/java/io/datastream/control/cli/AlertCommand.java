package io.datastream.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ds ctl alert create|list|delete|silence}: alert rules. */
@Command(name = "alert", mixinStandardHelpOptions = true, description = "Create, list, delete and silence alert rules; their history.",
        subcommands = {AlertCommand.Create.class, AlertCommand.ListRules.class, AlertCommand.Delete.class, AlertCommand.Silence.class,
                AlertCommand.History.class})
public final class AlertCommand implements Callable<Integer> {
    static final String RULES = "/api/v1/alerts/rules";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** Milliseconds of 500ms, 30s, 5m, 1h, 2d. */
    static long millis(CommandSpec spec, String option, String s) {
        Matcher m = DURATION.matcher(s);
        if (!m.matches()) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + ": expected a duration like 30s, 5m, 1h or 2d, was '" + s + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1_000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n * 86_400_000;
        };
    }

    static String rulePath(String id) {
        return RULES + "/" + ControlClient.encode(id);
    }

    /** {@code alert create ID --kind K --threshold N [--for 5m] [--task T] [--hosts GLOB] [--webhook URL]...}. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an alert rule.")
    public static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "rule id")
        String id;

        @Option(names = "--kind", required = true, paramLabel = "KIND",
                description = "backlogBytes, readLag (ms), taskErrors, auditMismatch, agentsGone or endToEndLatency (p99 ms)")
        String kind;

        @Option(names = "--threshold", defaultValue = "0", paramLabel = "N", description = "fires when the value is above N (default: 0)")
        double threshold;

        @Option(names = "--for", defaultValue = "0s", paramLabel = "DURATION",
                description = "how long the breach must last before firing, e.g. 5m (default: at once)")
        String forDuration;

        @Option(names = "--task", paramLabel = "TASK", description = "only this task (default: every task)")
        String task;

        @Option(names = "--hosts", paramLabel = "GLOB", description = "only agents on hosts matching GLOB")
        String hosts;

        @Option(names = "--webhook", paramLabel = "URL", description = "POST JSON to URL on firing and resolved (repeatable)")
        List<String> webhooks = List.of();

        @Override
        public Integer call() {
            CtlCommand ctl = CtlCommand.of(spec);
            ObjectNode rule = JSON.createObjectNode();
            rule.put("id", id);
            rule.put("kind", kind);
            rule.put("threshold", threshold);
            rule.put("forMs", millis(spec, "--for", forDuration));
            ObjectNode scope = rule.putObject("scope");
            if (task != null) {
                scope.put("task", task);
            }
            if (hosts != null) {
                scope.put("hosts", hosts);
            }
            webhooks.forEach(rule.putArray("webhooks")::add);
            return ctl.run(spec, (client, out) -> {
                JsonNode created = client.post(RULES, rule.toString().getBytes(StandardCharsets.UTF_8));
                out.println(ctl.json() ? TaskFiles.pretty(created) : "alert rule " + created.path("id").asText() + " created");
            });
        }
    }

    /** {@code alert list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List alert rules with their state.")
    public static final class ListRules implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            CtlCommand ctl = CtlCommand.of(spec);
            return ctl.run(spec, (client, out) -> {
                JsonNode rules = client.get(RULES);
                if (ctl.json()) {
                    out.println(TaskFiles.pretty(rules));
                    return;
                }
                Table t = new Table("ID", "KIND", "THRESHOLD", "FOR", "SCOPE", "STATE", "SINCE", "VALUE", "SILENCED");
                for (JsonNode r : rules.path("items")) {
                    String scope = (r.path("scope").has("task") ? "task=" + r.path("scope").path("task").asText() : "all tasks")
                            + (r.path("scope").has("hosts") ? " hosts=" + r.path("scope").path("hosts").asText() : "");
                    long silenced = r.path("silencedUntilMillis").asLong();
                    t.row(r.path("id").asText(), r.path("kind").asText(), number(r.path("threshold").asDouble()),
                            Formats.millis(r.path("forMs").asLong()), scope, r.path("state").asText(),
                            Formats.ago(ctl.clock(), r.path("sinceMillis").asLong()), number(r.path("value").asDouble()),
                            silenced > ctl.clock().millis() ? Instant.ofEpochMilli(silenced).toString() : "-");
                }
                t.print(out);
            });
        }

        private static String number(double d) {
            return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
        }
    }

    /** {@code alert delete ID}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an alert rule with its history.")
    public static final class Delete implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "rule id")
        String id;

        @Override
        public Integer call() {
            CtlCommand ctl = CtlCommand.of(spec);
            return ctl.run(spec, (client, out) -> {
                client.delete(rulePath(id));
                out.println("alert rule " + id + " deleted");
            });
        }
    }

    /** {@code alert silence ID --for 1h}. */
    @Command(name = "silence", mixinStandardHelpOptions = true,
            description = "Hold a rule's notifications back for a while (its state still moves); --for 0s lifts the silence.")
    public static final class Silence implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "rule id")
        String id;

        @Option(names = "--for", required = true, paramLabel = "DURATION", description = "e.g. 1h")
        String duration;

        @Override
        public Integer call() {
            CtlCommand ctl = CtlCommand.of(spec);
            long ms = millis(spec, "--for", duration);
            return ctl.run(spec, (client, out) -> {
                JsonNode r = client.post(rulePath(id) + "/silence", ("{\"durationMs\":" + ms + "}").getBytes(StandardCharsets.UTF_8));
                long until = r.path("silencedUntilMillis").asLong();
                out.println(until == 0 ? "alert rule " + id + " not silenced"
                        : "alert rule " + id + " silenced until " + Instant.ofEpochMilli(until));
            });
        }
    }

    /** {@code alert history [--since 1d] [--state firing] [--limit 50]}: the transitions of every rule, newest first. */
    @Command(name = "history", mixinStandardHelpOptions = true, description = "The state changes of every rule, newest first.")
    public static final class History implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--since", paramLabel = "WHEN", defaultValue = "1d",
                description = "an age (90m, 1h, 2d), an ISO-8601 instant or an epoch minute (default: ${DEFAULT-VALUE})")
        String since;

        @Option(names = "--state", paramLabel = "STATE", description = "only changes into this state (pending, firing, resolved, inactive)")
        String state;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "at most N changes, 1 to 1000 (default: ${DEFAULT-VALUE})")
        int limit;

        @Override
        public Integer call() {
            CtlCommand ctl = CtlCommand.of(spec);
            String from = DURATION.matcher(since).matches()
                    ? Instant.ofEpochMilli(ctl.clock().millis() - millis(spec, "--since", since)).toString()
                    : since;
            List<Map.Entry<String, String>> query = new ArrayList<>(List.of(Map.entry("from", from), Map.entry("limit", String.valueOf(limit))));
            if (state != null) {
                query.add(Map.entry("state", state));
            }
            return ctl.run(spec, (client, out) -> {
                JsonNode page = client.get(ControlClient.query("/api/v1/alerts/history", query));
                if (ctl.json()) {
                    out.println(TaskFiles.pretty(page));
                    return;
                }
                Table t = new Table("TIME", "RULE", "FROM", "TO", "VALUE", "MESSAGE");
                for (JsonNode i : page.path("items")) {
                    t.row(Instant.ofEpochMilli(i.path("atMillis").asLong()).toString(), i.path("rule").asText(),
                            i.path("from").asText(), i.path("to").asText(), ListRules.number(i.path("value").asDouble()),
                            i.path("message").asText());
                }
                t.print(out);
                long more = page.path("total").asLong() - page.path("items").size();
                if (more > 0) {
                    out.println(more + " older change(s) in the range not shown (--limit, or --json and the API's 'next')");
                }
            });
        }
    }
}
