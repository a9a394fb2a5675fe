package io.datastream.control.cli;

import io.datastream.registry.task.FieldError;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code ds ctl}: a client of the control REST API. Global options ({@code --url},
 * {@code --token} or the environment variable {@code DS_TOKEN}, {@code --json}) may be given
 * before or after the subcommand. Exit codes: 0 ok, 1 API or connection error (the message is
 * printed on stderr), 2 usage error.
 *
 * <pre>
 * ds ctl task create -f nginx.yaml
 * ds ctl task get nginx
 * ds ctl agents --host 'web-*' --label env=prod
 * </pre>
 */
@Command(name = "ctl", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Manage collection tasks and list agents and routers through the control REST API.",
        subcommands = {TaskCommand.class, AgentsCommand.class, AgentCommand.class, RoutersCommand.class, AuditCommand.class, AlertCommand.class})
public final class CtlCommand implements Callable<Integer> {
    /** The control server a client talks to by default. */
    public static final String DEFAULT_URL = "http://localhost:7400";

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "control server URL (default: the config file's url, else " + DEFAULT_URL + ")")
    String url;

    @Option(names = "--token", scope = ScopeType.INHERIT, defaultValue = "${env:DS_TOKEN}", paramLabel = "TOKEN",
            description = "API token (default: the environment variable DS_TOKEN, else --token-file, else the config file's token);"
                    + " prefer DS_TOKEN or --token-file: a command line is visible to other users of the host")
    String token;

    @Option(names = "--token-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "read the API token from FILE (trailing newline removed)")
    Path tokenFile;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "optional YAML with url and token (options and DS_TOKEN win over it)")
    Path config;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "print the API's JSON instead of tables")
    boolean json;

    @Spec
    CommandSpec spec;

    Clock clock = Clock.systemUTC();

    /** Without a subcommand: usage, exit code 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** One step of a subcommand, talking to the API. */
    @FunctionalInterface
    interface Action {
        void run(ControlClient client, PrintWriter out) throws CtlException;
    }

    /** The CtlCommand above a subcommand (also when ctl itself is nested under a launcher). */
    static CtlCommand of(CommandSpec leaf) {
        for (CommandSpec s = leaf; s != null; s = s.parent()) {
            if (s.userObject() instanceof CtlCommand) {
                return (CtlCommand) s.userObject();
            }
        }
        throw new IllegalStateException(leaf.name() + " is not under the ctl command");
    }

    /** Runs an action, printing API errors on stderr: 0 ok, 1 error. */
    int run(CommandSpec leaf, Action action) {
        PrintWriter out = leaf.commandLine().getOut();
        PrintWriter err = leaf.commandLine().getErr();
        CtlConfig file;
        try {
            file = config == null ? CtlConfig.NONE : CtlConfig.load(config);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(leaf.commandLine(), "--config: " + e.getMessage());
        }
        String u = url != null ? url : file.url() != null ? file.url() : DEFAULT_URL;
        String t = token != null && !token.isEmpty() ? token : tokenFile != null ? readToken(leaf, tokenFile) : file.token();
        try {
            action.run(new ControlClient(u, t), out);
            out.flush();
            return 0;
        } catch (CtlException e) {
            out.flush();
            err.println("error: " + (e.status() > 0 ? "HTTP " + e.status() + ": " : "") + e.getMessage());
            for (FieldError f : e.fields()) {
                err.println("  " + f.field() + ": " + f.message());
            }
            err.flush();
            return 1;
        }
    }

    private static String readToken(CommandSpec leaf, Path file) {
        try {
            return java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8).strip();
        } catch (java.io.IOException e) {
            throw new CommandLine.ParameterException(leaf.commandLine(), "--token-file: cannot read " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    boolean json() {
        return json;
    }

    Clock clock() {
        return clock;
    }
}
