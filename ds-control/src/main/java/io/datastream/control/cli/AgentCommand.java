package io.datastream.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ds ctl agent files ID}: one agent's files, asked from the agent through control. */
@Command(name = "agent", mixinStandardHelpOptions = true, description = "Look at one agent.",
        subcommands = {AgentCommand.Files.class})
public final class AgentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** {@code ds ctl agent files ID}. */
    @Command(name = "files", mixinStandardHelpOptions = true,
            description = "Show every file the agent follows now (task, path, state, offset, size, lag), asked from the agent itself.")
    public static final class Files implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "agent id")
        String id;

        @Override
        public Integer call() {
            CtlCommand ctl = CtlCommand.of(spec);
            return ctl.run(spec, (client, out) -> {
                JsonNode r = client.get("/api/v1/agents/" + ControlClient.encode(id) + "/files");
                if (ctl.json()) {
                    out.println(TaskFiles.pretty(r));
                    return;
                }
                Table t = new Table("TASK", "PATH", "STATE", "OFFSET", "SIZE", "LAG", "STREAM", "INODE", "ERROR");
                for (JsonNode f : r.path("files")) {
                    long offset = f.path("offset").asLong();
                    long size = f.path("size").asLong();
                    t.row(f.path("taskId").asText(), f.path("path").asText(), f.path("state").asText(), offset, size,
                            Formats.bytes(Math.max(0, size - offset)), Long.toHexString(f.path("streamId").asLong()),
                            f.path("inode").asLong(), Formats.text(f.get("error")));
                }
                t.print(out);
            });
        }
    }
}
