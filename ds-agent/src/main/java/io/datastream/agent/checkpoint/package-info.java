/**
 * Checkpoints: the acknowledged offset of every stream, persisted atomically with magic and
 * version (format in {@link io.datastream.agent.checkpoint.CheckpointFormat}), and the
 * checkpointer thread that writes them every second: it pulls the tailer's progress and takes
 * the shipper's from the {@link io.datastream.agent.checkpoint.ProgressInbox} it pushes into.
 */
package io.datastream.agent.checkpoint;
