package io.datastream.sink.config;

import java.io.Serializable;
import java.time.Duration;

/** Job-level settings; {@code checkpointDir} may be null (the cluster's setting applies). */
public record JobConfig(String name, int parallelism, Duration checkpointInterval, String checkpointDir) implements Serializable {
    public JobConfig {
        name = SinkConfigKey.JOB_NAME.requireText(name);
        if (parallelism < 0 || parallelism > 32768) {
            throw new ConfigException(SinkConfigKey.JOB_PARALLELISM.key(), "must be in 0..32768, was " + parallelism);
        }
        if (checkpointInterval == null || checkpointInterval.toMillis() < 10) {
            throw new ConfigException(SinkConfigKey.JOB_CHECKPOINT_INTERVAL.key(), "must be at least 10ms, was " + checkpointInterval);
        }
        if (checkpointDir != null && checkpointDir.isBlank()) {
            checkpointDir = null;
        }
    }
}
