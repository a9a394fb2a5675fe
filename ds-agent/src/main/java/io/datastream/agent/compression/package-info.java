/**
 * Compressed files among the followed ones: {@link io.datastream.agent.compression.Compression}
 * tells them by their magic bytes (rotated logs that logrotate compressed), and
 * {@link io.datastream.agent.compression.DecompressingChannel} presents the decompressed bytes
 * of one as a read-only channel for tasks with {@code compressedFiles: decompress}.
 */
package io.datastream.agent.compression;
