package io.datastream.router.cli;

import io.datastream.router.Router;
import io.datastream.router.RouterConfig;
import io.datastream.router.config.ConfigException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code router [--config FILE]}: runs a router until SIGTERM or Ctrl-C, which drain it
 * (see {@link Router#close()}). Without a config file every default applies (port 7100, HTTP
 * 7101, Kafka on localhost:9092).
 */
@Command(name = "router", mixinStandardHelpOptions = true, description = "Run a Datastream router (agents -> Kafka).")
public final class RouterCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML configuration file (default: built-in defaults)")
    Path config;

    @Option(names = "--check", description = "validate the configuration and exit")
    boolean checkOnly;

    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        RouterConfig cfg;
        try {
            cfg = config == null ? RouterConfig.defaults() : RouterConfig.load(config);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            spec.commandLine().getErr().flush();
            return 2;
        }
        if (checkOnly) {
            System.out.println("configuration OK");
            return 0;
        }
        Router router = Router.start(cfg);
        Thread hook = new Thread(() -> {
            router.close();
            stopped.countDown();
        }, "ds-router-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.println("router " + router.id() + " listening on port " + router.port() + ", http " + router.httpPort());
        stopped.await();
        return 0;
    }

    /** Runs the command standalone (the launcher normally embeds it as a subcommand). */
    public static void main(String[] args) {
        System.exit(new CommandLine(new RouterCommand()).execute(args));
    }
}
