package io.datastream.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ds ctl task create|list|get|update|delete|history}. */
@Command(name = "task", mixinStandardHelpOptions = true, description = "Create, list, show, update and delete collection tasks.",
        subcommands = {TaskCommand.Create.class, TaskCommand.ListTasks.class, TaskCommand.Get.class, TaskCommand.Update.class,
                TaskCommand.Delete.class, TaskHistoryCommand.class})
public final class TaskCommand implements Callable<Integer> {
    static final String TASKS = "/api/v1/tasks";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    static String taskPath(String id) {
        return TASKS + "/" + ControlClient.encode(id);
    }

    /** {@code task create -f FILE}. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a task from a YAML or JSON file.")
    public static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "the task, YAML or JSON (- = stdin)")
        String file;

        @Override
        public Integer call() {
            CtlCommand ctl = CtlCommand.of(spec);
            ObjectNode task = TaskFiles.read(spec, file, System.in);
            return ctl.run(spec, (client, out) -> {
                JsonNode created = client.post(TASKS, TaskFiles.bytes(task));
                if (ctl.json()) {
                    out.println(TaskFiles.pretty(created));
                } else {
                    out.println("task " + created.path("task").path("id").asText() + " created (version "
                            + created.path("version").asInt() + ")");
                    warnings(created, out);
                }
            });
        }
    }

    /** {@code task list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List every task.")
    public static final class ListTasks implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            CtlCommand ctl = CtlCommand.of(spec);
            return ctl.run(spec, (client, out) -> {
                JsonNode all = client.get(TASKS);
                if (ctl.json()) {
                    out.println(TaskFiles.pretty(all));
                    return;
                }
                Table t = new Table("ID", "VERSION", "TOPIC", "HOSTS", "PATHS", "MODIFIED");
                for (JsonNode item : all.path("items")) {
                    JsonNode task = item.path("task");
                    t.row(task.path("id").asText(), item.path("version").asInt(), Formats.text(task.get("topic")),
                            hosts(task.path("hosts")), Formats.list(task.path("paths")),
                            Formats.ago(ctl.clock(), item.path("modifiedAtMillis").asLong()));
                }
                t.print(out);
            });
        }
    }

    /** {@code task get ID}: the task, its version and its status per agent. */
    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a task, its version and its status on each agent.")
    public static final class Get implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "task id")
        String id;

        @Override
        public Integer call() {
            CtlCommand ctl = CtlCommand.of(spec);
            return ctl.run(spec, (client, out) -> {
                JsonNode stored = client.get(taskPath(id));
                JsonNode status = client.get(ControlClient.query(taskPath(id) + "/status",
                        java.util.List.of(java.util.Map.entry("limit", "1000"))));
                if (ctl.json()) {
                    ObjectNode both = ((ObjectNode) stored.deepCopy()).set("status", status);
                    out.println(TaskFiles.pretty(both));
                    return;
                }
                printTask(out, ctl, stored);
                out.println();
                printStatus(out, status);
            });
        }

        private static void printTask(PrintWriter out, CtlCommand ctl, JsonNode stored) {
            out.println("task:     " + stored.path("task").path("id").asText());
            out.println("version:  " + stored.path("version").asInt());
            long modified = stored.path("modifiedAtMillis").asLong();
            out.println("modified: " + Instant.ofEpochMilli(modified) + " (" + Formats.ago(ctl.clock(), modified) + ")");
            out.println();
            out.print(TaskFiles.yaml(stored.path("task")));
        }

        private static void printStatus(PrintWriter out, JsonNode report) {
            JsonNode s = report.path("summary");
            out.println("status: " + s.path("reporting").asInt() + " agents running it, " + s.path("matching").asInt()
                    + " matching its hosts, " + s.path("waiting").asInt() + " not running it yet");
            Table t = new Table("AGENT", "HOST", "STATE", "FILES", "BACKLOG", "LAG", "LINES READ", "LINES ACKED", "DROPPED",
                    "ERRORS", "LAST ERROR");
            for (JsonNode a : report.path("agents")) {
                JsonNode st = a.path("status");
                if (st.isMissingNode() || st.isNull()) {
                    t.row(a.path("agentId").asText(), Formats.text(a.get("host")), "starting", "", "", "", "", "", "", "", "");
                    continue;
                }
                t.row(a.path("agentId").asText(), Formats.text(a.get("host")), Formats.text(st.get("state")),
                        st.path("files").asInt(), Formats.bytes(st.path("backlogBytes").asLong()),
                        Formats.millis(st.path("lagMillis").asLong()), st.path("linesRead").asLong(),
                        st.path("linesAcked").asLong(), Formats.bytes(st.path("droppedBytes").asLong()), st.path("errors").asLong(),
                        Formats.text(st.get("lastError")));
            }
            t.row("TOTAL", "", states(s.path("states")), s.path("files").asLong(), Formats.bytes(s.path("backlogBytes").asLong()),
                    Formats.millis(s.path("maxLagMillis").asLong()) + " max", s.path("linesRead").asLong(),
                    s.path("linesAcked").asLong(), Formats.bytes(s.path("droppedBytes").asLong()), s.path("errors").asLong(), "");
            t.print(out);
            if (report.hasNonNull("next")) {
                out.println("(first 1000 agents shown; use --json and the API's paging for all)");
            }
            if (report.path("waiting").size() > 0) {
                out.println("not running it yet: " + Formats.list(report.path("waiting"))
                        + (s.path("waiting").asInt() > report.path("waiting").size() ? ", ..." : ""));
            }
            String drops = drops(s);
            if (!drops.isEmpty()) {
                out.println("dropped: " + drops);
            }
            JsonNode sink = report.path("sink");
            if (sink.isObject()) {
                out.println("sink: " + sink.path("linesWritten").asLong() + " lines written, " + sink.path("linesDuplicate").asLong()
                        + " dropped as duplicates, " + sink.path("linesOverlapping").asLong() + " overlapping, "
                        + sink.path("deadLetters").asLong() + " dead letters, " + sink.path("linesUntimed").asLong()
                        + " without an event time (" + Formats.list(report.path("sinks")) + ")");
            } else {
                out.println("sink: no sink reports this task (is ds sink running with --zookeeper?)");
            }
        }

        /** "compressed 2 files' bytes: 1.2 MiB, overLongLine 3 lines: 4.0 KiB" from the summary's maps; "" when nothing was dropped. */
        static String drops(JsonNode summary) {
            JsonNode bytes = summary.path("droppedBytesByReason");
            JsonNode lines = summary.path("droppedLinesByReason");
            java.util.TreeSet<String> reasons = new java.util.TreeSet<>();
            bytes.fieldNames().forEachRemaining(reasons::add);
            lines.fieldNames().forEachRemaining(reasons::add);
            java.util.List<String> parts = new java.util.ArrayList<>();
            for (String r : reasons) {
                long b = bytes.path(r).asLong();
                long l = lines.path(r).asLong();
                if (b == 0 && l == 0) {
                    continue;
                }
                parts.add(r + " " + (l > 0 ? l + " lines, " : "") + Formats.bytes(b));
            }
            return String.join("; ", parts);
        }

        private static String states(JsonNode states) {
            return Formats.labels(states).equals("-") ? "-" : Formats.labels(states);
        }
    }

    /** {@code task update -f FILE [--version N]}. */
    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Replace a task from a YAML or JSON file. Without --version (or a version field in the file) "
                    + "the current version is read first, so the update replaces whatever is there.")
    public static final class Update implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "the task, YAML or JSON (- = stdin)")
        String file;

        @Option(names = "--version", paramLabel = "N", description = "the version you read; a stale one is refused (HTTP 409)")
        Integer version;

        @Override
        public Integer call() {
            CtlCommand ctl = CtlCommand.of(spec);
            ObjectNode task = TaskFiles.read(spec, file, System.in);
            JsonNode idNode = task.get("id");
            if (idNode == null || !idNode.isTextual() || idNode.asText().isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "task file " + file + " must name the task's id");
            }
            String id = idNode.asText();
            return ctl.run(spec, (client, out) -> {
                Integer ifMatch = version;
                if (ifMatch == null && !task.has("version")) {
                    ifMatch = client.get(taskPath(id)).path("version").asInt();
                }
                JsonNode updated = client.put(taskPath(id), TaskFiles.bytes(task), ifMatch);
                if (ctl.json()) {
                    out.println(TaskFiles.pretty(updated));
                } else {
                    out.println("task " + id + " updated to version " + updated.path("version").asInt());
                    warnings(updated, out);
                }
            });
        }
    }

    /** {@code task delete ID [--version N]}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a task.")
    public static final class Delete implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "task id")
        String id;

        @Option(names = "--version", paramLabel = "N", description = "delete only if the task is still at this version")
        Integer version;

        @Override
        public Integer call() {
            CtlCommand ctl = CtlCommand.of(spec);
            return ctl.run(spec, (client, out) -> {
                int v = version != null ? version : client.get(taskPath(id)).path("version").asInt();
                client.delete(taskPath(id), v);
                if (ctl.json()) {
                    out.println(TaskFiles.pretty(TaskFiles.JSON.createObjectNode().put("id", id).put("deleted", true).put("version", v)));
                } else {
                    out.println("task " + id + " deleted (was version " + v + ")");
                }
            });
        }
    }

    static String hosts(JsonNode hosts) {
        String names = Formats.list(hosts.path("hostnames"));
        String labels = Formats.labels(hosts.path("labels"));
        if (names.equals("-") && labels.equals("-")) {
            return "*";
        }
        if (labels.equals("-")) {
            return names;
        }
        return names.equals("-") ? labels : names + " " + labels;
    }

    /** The answer's warnings (paths some selected agents will refuse), one line each. */
    static void warnings(JsonNode answer, java.io.PrintWriter out) {
        for (JsonNode w : answer.path("warnings")) {
            out.println("warning: " + w.asText());
        }
    }
}
