package io.datastream.control.cli;

import io.datastream.control.ControlConfig;
import io.datastream.control.ControlServer;
import io.datastream.control.InvalidConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ds control}: runs the control server until SIGTERM or Ctrl-C (a shutdown hook closes it).
 * With no {@code --config} it serves on port 7400 against ZooKeeper at localhost:2181.
 * Exit codes: 2 for a bad configuration, 1 when the server cannot start.
 */
@Command(name = "control", mixinStandardHelpOptions = true,
        description = "Run the control server: the REST API over the tasks, agents and routers in ZooKeeper.")
public final class ControlCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (default: none, every default)")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        ControlConfig cfg;
        try {
            cfg = config == null ? ControlConfig.defaults() : ControlConfig.load(config);
        } catch (InvalidConfigException e) {
            err.println(e.getMessage());
            err.flush();
            return 2;
        }
        ControlServer server;
        try {
            server = ControlServer.start(cfg);
        } catch (IllegalStateException e) {
            err.println("ds control: " + e.getMessage());
            err.flush();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "ds-control-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        PrintWriter out = spec.commandLine().getOut();
        out.println("ds control serving http://" + cfg.http().host() + ":" + server.port() + " (ZooKeeper "
                + cfg.zookeeper().connect() + ", root " + cfg.zookeeper().root() + ")");
        out.flush();
        stopped.await();
        return 0;
    }
}
