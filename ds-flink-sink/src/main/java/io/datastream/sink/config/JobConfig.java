package io.datastream.sink.config;

import io.datastream.config.Checked;
import io.datastream.config.Doc;
import io.datastream.config.Problems;
import java.io.Serializable;
import java.time.Duration;

/** {@code job.*}: job-level settings; {@code checkpointDir} may be null (the cluster's setting applies). */
public record JobConfig(
        @Doc("Flink job name")
        String name,
        @Doc("parallelism of every operator (0 to 32768); 0 uses the environment's default (flink run -p, parallelism.default)")
        Integer parallelism,
        @Doc("checkpoint interval (at least 10ms) set by `SinkJob.configureEnvironment` (flink run and standalone); files become "
                + "visible and Kafka offsets are committed at each checkpoint")
        Duration checkpointInterval,
        @Doc("durable checkpoint directory (e.g. hdfs:///flink/checkpoints/ds-sink); unset keeps the cluster's setting "
                + "(execution.checkpointing.dir)")
        String checkpointDir) implements Serializable, Checked {
    public JobConfig {
        name = name == null ? "ds-flink-sink" : name.trim();
        parallelism = parallelism == null ? 0 : parallelism;
        checkpointInterval = checkpointInterval == null ? Duration.ofSeconds(5) : checkpointInterval;
        checkpointDir = checkpointDir == null || checkpointDir.isBlank() ? null : checkpointDir;
    }

    @Override
    public void check(Problems p) {
        p.notBlank(name, "name");
        p.check(parallelism >= 0 && parallelism <= 32768, "parallelism", "must be in 0..32768, was " + parallelism);
        p.check(checkpointInterval.toMillis() >= 10, "checkpointInterval", "must be at least 10ms, was " + checkpointInterval);
    }
}
