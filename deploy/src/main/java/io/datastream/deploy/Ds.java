package io.datastream.deploy;

import io.datastream.agent.cli.AgentCommand;
import io.datastream.control.cli.ControlCommand;
import io.datastream.control.cli.CtlCommand;
import io.datastream.deploy.standalone.StandaloneCommand;
import io.datastream.router.cli.RouterCommand;
import io.datastream.deploy.doctor.DoctorCommand;
import io.datastream.deploy.launch.Failures;
import io.datastream.deploy.launch.LogLevels;
import io.datastream.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code ds}: the launcher's entry point. */
@Command(name = "ds", mixinStandardHelpOptions = true, versionProvider = Ds.Version.class,
        description = "Datastream: log collection with every line delivered exactly once.",
        subcommands = {StandaloneCommand.class, AgentCommand.class, RouterCommand.class, ControlCommand.class,
            SinkCommand.class, CtlCommand.class, DoctorCommand.class, ZkAclCommand.class, CommandLine.HelpCommand.class})
public final class Ds implements Runnable {
    /** Exit code of a command that failed to start or run. */
    public static final int FAILED = 1;
    /** The exit code of a configuration file with problems (the components' own commands use it too). */
    public static final int INVALID_CONFIG = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print the stack trace of a failure, not only its one-line reason.")
    boolean verbose;

    @Option(names = "--log-level", scope = ScopeType.INHERIT, paramLabel = "LEVEL",
            description = "Level of Datastream's log lines: error, warn, info (default), debug, trace.")
    void logLevel(String level) {
        LogLevels.apply(level);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line, for tests: a failure of any command prints one line, {@code ds <command>:
     * <reason and fix>}, and its stack trace only with {@code --verbose}; the exit code is
     * {@value #FAILED}.
     */
    public static CommandLine commandLine() {
        Ds ds = new Ds();
        CommandLine cl = new CommandLine(ds).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((e, command, parsed) -> {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ConfigException config) {
                    // every problem of the file, one per line with its key path: nothing to add, nothing started
                    command.getErr().println("ds " + command.getCommandName() + ": " + config.getMessage());
                    command.getErr().flush();
                    return INVALID_CONFIG;
                }
            }
            command.getErr().println("ds " + command.getCommandName() + ": " + Failures.oneLine(e));
            if (ds.verbose) {
                e.printStackTrace(command.getErr());
            } else {
                command.getErr().println("(run again with --verbose for the stack trace)");
            }
            command.getErr().flush();
            return FAILED;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Version from the jar manifest, or "dev". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Ds.class.getPackage().getImplementationVersion();
            return new String[]{"ds " + (v == null ? "dev" : v)};
        }
    }
}
