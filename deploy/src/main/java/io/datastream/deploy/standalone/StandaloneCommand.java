package io.datastream.deploy.standalone;

import io.datastream.deploy.standalone.StandaloneConfig.Component;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ds standalone}: the whole pipeline in one process, on embedded defaults. */
@Command(name = "standalone", mixinStandardHelpOptions = true,
        description = {
            "Runs ZooKeeper, Kafka (KRaft), ds-control, a router, an agent and the Flink sink in one process.",
            "The default task 'default' reads DIR/logs/**.log; finished output appears in DIR/out/default/dt=YYYY-MM-DD/hour=HH/*.zst.",
            "Stop with Ctrl-C or SIGTERM; started again on the same DIR it resumes where it stopped."})
public final class StandaloneCommand implements Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR", description = "All state and output (default: ${DEFAULT-VALUE}).")
    Path dataDir = Path.of("data");

    @Option(names = "--with", paramLabel = "LIST", split = ",",
            description = "Components to run here, comma-separated: zookeeper, kafka, control, router, agent, sink, or all (default). "
                    + "Run the others as separate processes (ds agent, ds router) against this one.")
    String[] with = {"all"};

    @Option(names = "--demo", description = "Write a realistic generated log stream into DIR/logs/demo.")
    boolean demo;

    @Option(names = "--demo-rate", paramLabel = "LINES", description = "Demo lines per second (default: ${DEFAULT-VALUE}).")
    int demoRate = 2_000;

    @Option(names = "--bind", paramLabel = "ADDRESS",
            description = "Address every listener binds (default: ${DEFAULT-VALUE}, this host only). 0.0.0.0 opens ZooKeeper, Kafka,"
                    + " control, the router, metrics and Flink's REST API to the network: only on a trusted network.")
    String bind = StandaloneConfig.DEFAULT_BIND_ADDRESS;

    @Option(names = "--zookeeper-port", description = "Default: ${DEFAULT-VALUE}.")
    int zookeeperPort = StandaloneConfig.DEFAULT_ZOOKEEPER_PORT;

    @Option(names = "--kafka-port", description = "Default: ${DEFAULT-VALUE}.")
    int kafkaPort = StandaloneConfig.DEFAULT_KAFKA_PORT;

    @Option(names = "--kafka-controller-port", description = "Default: ${DEFAULT-VALUE}.")
    int kafkaControllerPort = StandaloneConfig.DEFAULT_KAFKA_CONTROLLER_PORT;

    @Option(names = "--router-port", description = "ds protocol port for agents (default: ${DEFAULT-VALUE}).")
    int routerPort = StandaloneConfig.DEFAULT_ROUTER_PORT;

    @Option(names = "--router-http-port", description = "Router health and metrics (default: ${DEFAULT-VALUE}).")
    int routerHttpPort = StandaloneConfig.DEFAULT_ROUTER_HTTP_PORT;

    @Option(names = "--events-port", description = "The router's HTTP event source, POST /v1/events (default: ${DEFAULT-VALUE}).")
    int eventsPort = StandaloneConfig.DEFAULT_EVENTS_PORT;

    @Option(names = "--control-port", description = "REST API (default: ${DEFAULT-VALUE}).")
    int controlPort = StandaloneConfig.DEFAULT_CONTROL_PORT;

    @Option(names = "--agent-http-port", description = "The agent's Prometheus metrics (default: ${DEFAULT-VALUE}).")
    int agentHttpPort = StandaloneConfig.DEFAULT_AGENT_HTTP_PORT;

    @Option(names = "--sink-metrics-port", description = "The sink's Prometheus metrics (default: ${DEFAULT-VALUE}).")
    int sinkMetricsPort = StandaloneConfig.DEFAULT_SINK_METRICS_PORT;

    @Option(names = "--checkpoint-interval", paramLabel = "MS", description = "Flink checkpoint interval in ms: output appears this often (default: ${DEFAULT-VALUE}).")
    long checkpointMillis = 5_000;

    @Option(names = "--progress-interval", paramLabel = "MS", description = "Progress line every MS ms, 0 = none (default: ${DEFAULT-VALUE}).")
    long progressMillis = 5_000;

    @Option(names = "--report-interval", paramLabel = "MS",
            description = "The agent, router and sink push their per-minute counts to control every MS ms, 0 = never (default: ${DEFAULT-VALUE}).")
    long reportMillis = 10_000;

    @Override
    public Integer call() throws Exception {
        Set<Component> components = EnumSet.noneOf(Component.class);
        for (String w : with) {
            components.addAll(StandaloneConfig.parseComponents(w));
        }
        StandaloneConfig cfg = StandaloneConfig.builder(dataDir).bindAddress(bind).zookeeperPort(zookeeperPort).kafkaPort(kafkaPort)
                .kafkaControllerPort(kafkaControllerPort).routerPort(routerPort).routerHttpPort(routerHttpPort).eventsPort(eventsPort)
                .controlPort(controlPort).agentHttpPort(agentHttpPort).sinkMetricsPort(sinkMetricsPort)
                .checkpointInterval(Duration.ofMillis(checkpointMillis)).components(components).demo(demo, demoRate)
                .progressInterval(Duration.ofMillis(progressMillis))
                .reportInterval(Duration.ofMillis(reportMillis)).build();
        Standalone standalone = Standalone.start(cfg, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping...");
            standalone.close();
            System.out.println("stopped");
            stopped.countDown();
        }, "ds-standalone-shutdown"));
        stopped.await();
        return 0;
    }
}
