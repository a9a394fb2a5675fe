/**
 * Compression in the agent. Compressed files among the followed ones:
 * {@link io.datastream.agent.compression.Compression} tells them by their magic bytes (rotated
 * logs that logrotate compressed), and {@link io.datastream.agent.compression.DecompressingChannel}
 * presents the decompressed bytes of one as a read-only channel for tasks with
 * {@code compressedFiles: decompress}. Compressing the batches the agent sends:
 * {@link io.datastream.agent.compression.CompressionPool} finishes batches on worker threads
 * (bounded, in submission order), so that compression can leave the tailer's thread; the tailer
 * does not use it yet.
 */
package io.datastream.agent.compression;
