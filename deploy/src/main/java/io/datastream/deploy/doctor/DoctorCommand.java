package io.datastream.deploy.doctor;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ds doctor}: checks this host for running Datastream: Java, the ZooKeeper, Kafka, routers
 * and control it would talk to (control's clock against this host's), the log directories an
 * agent would read, and the ports a component would listen on. One line per check; exit code 1
 * when any fails. Without options it checks what {@code ds standalone} uses on this host.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Checks this host: Java, ZooKeeper, Kafka, routers and control reachable (and control's clock),",
            "log directories readable, ports free. One line per check; exit code 1 if any fails.",
            "Without options it checks the defaults of ds standalone on localhost."})
public final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--zookeeper", paramLabel = "HOST:PORT", description = "ZooKeeper to check (default: ${DEFAULT-VALUE}); none = skip")
    String zookeeper = "localhost:2181";

    @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "Kafka bootstrap to check (default: ${DEFAULT-VALUE}); none = skip")
    String kafka = "localhost:9092";

    @Option(names = "--router", paramLabel = "HOST:PORT", description = "a router or HAProxy to check; repeatable (default: localhost:7100)")
    List<String> routers = new ArrayList<>(List.of("localhost:7100"));

    @Option(names = "--control", paramLabel = "URL", description = "control server to check (default: ${DEFAULT-VALUE}); none = skip")
    String control = "http://localhost:7400";

    @Option(names = "--path", paramLabel = "DIR", description = "a log directory an agent would read; repeatable")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--port", paramLabel = "PORT", description = "a port a component would listen on here, checked free; repeatable")
    List<Integer> ports = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "MS", description = "bound of each network check in ms (default: ${DEFAULT-VALUE})")
    long timeoutMillis = 3_000;

    @Override
    public Integer call() {
        Checks checks = new Checks(Duration.ofMillis(timeoutMillis), System::currentTimeMillis);
        List<Check> results = new ArrayList<>();
        results.add(Checks.java());
        if (!skip(zookeeper)) {
            results.add(checks.zookeeper(zookeeper));
        }
        if (!skip(kafka)) {
            results.add(checks.kafka(kafka));
        }
        for (String r : routers) {
            if (!skip(r)) {
                results.add(checks.router(r));
            }
        }
        if (!skip(control)) {
            results.add(checks.control(control));
        }
        for (Path p : paths) {
            results.add(Checks.readable(p));
        }
        for (int port : ports) {
            results.add(Checks.portFree(port));
        }
        PrintWriter out = spec.commandLine().getOut();
        long failed = results.stream().filter(c -> !c.ok()).count();
        for (Check c : results) {
            out.println(c.line());
        }
        out.println(failed == 0 ? "all " + results.size() + " checks passed" : failed + " of " + results.size() + " checks failed");
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    private static boolean skip(String value) {
        return value == null || value.isBlank() || value.equals("none");
    }
}
