/**
 * The batch format: the bytes an agent builds from one file's lines, sends in a BATCH frame,
 * and the router writes unchanged as one Kafka record (docs/protocol.md, "Batch format").
 *
 * <p>{@link io.datastream.protocol.batch.BatchBuilder} writes batches (agent side, one per
 * thread, buffers reused), {@link io.datastream.protocol.batch.Batch} parses and validates one
 * without decompressing (router side), and {@link io.datastream.protocol.batch.RecordCursor}
 * walks its records with their source byte offsets, without per-record allocation.
 * {@link io.datastream.protocol.batch.Lines} is the newline search the agent cuts lines with,
 * shared with {@link io.datastream.protocol.batch.BatchBuilder#appendLines}.
 */
package io.datastream.protocol.batch;
