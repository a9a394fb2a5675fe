/**
 * Checkpoints: the acknowledged offset of every stream, persisted atomically with magic and
 * version (format in {@link io.datastream.agent.checkpoint.CheckpointFormat}), and the
 * checkpointer thread that writes them every second.
 */
package io.datastream.agent.checkpoint;
