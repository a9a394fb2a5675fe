package io.datastream.registry.task;

/**
 * A task as stored, with its version: the ZooKeeper node's data version, which every update
 * must name (optimistic concurrency).
 */
public record VersionedTask(TaskSpec spec, int version, long modifiedAtMillis) {
}
