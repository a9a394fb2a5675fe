package io.datastream.deploy;

import io.datastream.sink.SinkJob;
import io.datastream.sink.config.SinkConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ds sink}: runs the Flink sink job on a local MiniCluster in this process. For a Flink
 * cluster, submit the job jar with {@code flink run} instead (docs/sink.md).
 */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = {"Runs the Flink sink job (Kafka -> exactly-once files) on a local MiniCluster in this process.",
            "On a Flink cluster use: flink run ds-flink-sink/target/ds-flink-sink-job.jar --config sink.yaml"})
public final class SinkCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Sink YAML config (docs/sink.md); without it every key has its default.")
    Path config;

    @Option(names = "--parallelism", description = "Local parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism = 1;

    @Override
    public Integer call() throws Exception {
        SinkConfig cfg = config == null ? SinkConfig.defaults() : SinkConfig.load(config);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism);
        SinkJob.configureEnvironment(env, cfg);
        SinkJob.define(env, cfg);
        JobClient job = env.executeAsync(cfg.job().name());
        System.out.println("sink job " + job.getJobID() + " running; output in " + cfg.output().path());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                job.cancel().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("sink: cancel failed: " + e);
            }
        }, "ds-sink-shutdown"));
        job.getJobExecutionResult().get();
        return 0;
    }
}
