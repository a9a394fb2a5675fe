package io.datastream.sink.deadletter;

import io.datastream.sink.config.DeadLetterConfig;
import java.time.ZoneOffset;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.DateTimeBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.util.OutputTag;

/** The side output that carries dead letters, and the file sink that writes them. */
public final class DeadLetters {
    /** Operators emit dead letters here. */
    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    /** Suffix of finished dead-letter files. */
    public static final String SUFFIX = ".jsonl";

    private DeadLetters() {
    }

    /**
     * JSON lines under {@code <path>/dt=YYYY-MM-DD/} (UTC, processing time), finished on every
     * checkpoint like the line files, so dead letters are exactly once too.
     */
    public static FileSink<DeadLetter> sink(DeadLetterConfig cfg) {
        return FileSink.forRowFormat(new Path(cfg.path()), new DeadLetterEncoder())
                .withBucketAssigner(new DateTimeBucketAssigner<>("'dt='yyyy-MM-dd", ZoneOffset.UTC))
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("dead-letters").withPartSuffix(SUFFIX).build())
                .build();
    }
}
