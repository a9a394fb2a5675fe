package io.datastream.deploy;

import io.datastream.agent.cli.AgentCommand;
import io.datastream.control.cli.ControlCommand;
import io.datastream.control.cli.CtlCommand;
import io.datastream.deploy.standalone.StandaloneCommand;
import io.datastream.router.cli.RouterCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ds}: the launcher's entry point. */
@Command(name = "ds", mixinStandardHelpOptions = true, versionProvider = Ds.Version.class,
        description = "Datastream: log collection with every line delivered exactly once.",
        subcommands = {StandaloneCommand.class, AgentCommand.class, RouterCommand.class, ControlCommand.class,
            SinkCommand.class, CtlCommand.class, CommandLine.HelpCommand.class})
public final class Ds implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, for tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new Ds()).setCaseInsensitiveEnumValuesAllowed(true);
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
