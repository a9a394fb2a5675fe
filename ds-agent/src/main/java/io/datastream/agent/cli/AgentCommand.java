package io.datastream.agent.cli;

import io.datastream.agent.Agent;
import io.datastream.agent.AgentConfig;
import io.datastream.agent.config.ConfigException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ds agent [--config FILE]}: runs an agent until SIGTERM or Ctrl-C. Without a config it
 * runs with the defaults (router at localhost:7100, no ZooKeeper, no tasks).
 */
@Command(name = "agent", mixinStandardHelpOptions = true, versionProvider = AgentCommand.Version.class,
        description = "Runs the tail-file agent: follows files, ships their lines to routers, never loses one.")
public final class AgentCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "agent YAML config (docs/agent.md)")
    Path config;

    @Option(names = "--check", description = "validate the config and exit")
    boolean check;

    /** The exit status when a thread the agent cannot work without died (EX_SOFTWARE of sysexits.h). */
    static final int EXIT_DIED = 70;

    @Override
    public Integer call() throws Exception {
        AgentConfig cfg;
        try {
            cfg = config == null ? AgentConfig.defaults() : AgentConfig.load(config);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            spec.commandLine().getErr().flush();
            return 2;
        }
        if (check) {
            System.out.println("config ok: agent " + cfg.id() + ", " + cfg.tasks().size() + " local tasks");
            return 0;
        }
        nettyJfrOffUnlessAsked();
        Agent agent = Agent.start(cfg);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "ds-agent-shutdown"));
        // a thread the agent cannot work without died: exit (from a thread of its own, so that the
        // shutdown's close does not wait for the dying thread) and be started again from the checkpoint
        agent.died().thenRun(() -> new Thread(() -> System.exit(EXIT_DIED), "ds-agent-exit").start());
        stopped.await();
        return 0;
    }

    /**
     * Netty's JFR events for its buffers stay off unless {@code -Dio.netty.jfr.enabled=true} asks for
     * them: with them on, Netty loads about 100 JFR classes and has JFR generate event handlers, about
     * 3 MiB of an agent's RSS (docs/agent.md, "JVM options"). Before Netty's first use: it reads the
     * property once.
     */
    static void nettyJfrOffUnlessAsked() {
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
    }

    /** The agent's version for --version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"ds agent " + Agent.VERSION};
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new AgentCommand()).execute(args));
    }
}
