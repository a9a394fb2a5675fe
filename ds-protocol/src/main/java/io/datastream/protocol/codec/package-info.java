/**
 * Compression codecs for batch payloads: none, LZ4 (lz4-java, block format) and zstd (zstd-jni).
 *
 * <p>The only package that touches lz4-java and zstd-jni (checked by an ArchUnit rule). Codecs work
 * on Netty buffers, direct or heap, without intermediate copies when both sides are of the same
 * kind. A {@link io.datastream.protocol.codec.Codec} instance is not thread-safe: each thread owns
 * its own (zstd contexts hold native state).
 */
package io.datastream.protocol.codec;
