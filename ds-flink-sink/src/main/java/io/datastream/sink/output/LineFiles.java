package io.datastream.sink.output;

import io.datastream.sink.config.OutputConfig;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;

/** The file sink of the line files. */
public final class LineFiles {
    private LineFiles() {
    }

    /**
     * Compressed part files under {@code <output.path>/<task>/<time bucket>/}, named
     * {@code <prefix>-<uuid>-<n>.zst} (a random uuid per writer subtask and bucket) (or {@code .gz}). In-progress files are hidden
     * ({@code .<prefix>-...inprogress...}); a file becomes visible under its final name only when
     * the checkpoint that finished it completes.
     */
    public static FileSink<OutputChunk> sink(OutputConfig cfg) {
        return FileSink.forBulkFormat(new Path(cfg.path()), new CompressedLineWriterFactory(cfg.compression(), cfg.compressionLevel()))
                .withBucketAssigner(new TaskTimeBucketAssigner(cfg.bucketPattern(), cfg.timeZone()))
                .withRollingPolicy(new PartSizeRollingPolicy(cfg.maxPartSizeBytes()))
                .withOutputFileConfig(OutputFileConfig.builder()
                        .withPartPrefix(cfg.partPrefix())
                        .withPartSuffix(cfg.compression().extension())
                        .build())
                .build();
    }
}
