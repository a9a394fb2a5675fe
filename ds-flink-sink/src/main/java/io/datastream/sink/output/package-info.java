/**
 * The line files: {@link io.datastream.sink.output.BucketChunks} cuts a batch's new lines by the
 * time bucket of each line ({@link io.datastream.sink.output.TimeBuckets}) and
 * {@link io.datastream.sink.output.ChunkBuilder} formats each part into one
 * {@link io.datastream.sink.output.OutputChunk}; {@link io.datastream.sink.output.LineFiles}
 * writes chunks with Flink's FileSink into {@code <task>/<time>} buckets
 * ({@link io.datastream.sink.output.TaskTimeBucketAssigner}) as zstd or gzip part files
 * ({@link io.datastream.sink.output.CompressedLineWriterFactory}), finished on every checkpoint
 * or at a maximum size ({@link io.datastream.sink.output.PartSizeRollingPolicy}).
 */
package io.datastream.sink.output;
