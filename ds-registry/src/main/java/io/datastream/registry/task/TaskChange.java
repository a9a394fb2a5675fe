package io.datastream.registry.task;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One change of a task in its audit trail: who made it, when, and the task before and after.
 *
 * @param atMillis when the change was stored (the ZooKeeper transaction's time is close to it)
 * @param actor    who made it: the API token's name, {@code loopback} for an unauthenticated local client
 * @param action   created, updated or deleted
 * @param version  the task's version after the change (for deleted: the version that was deleted)
 * @param before   the task before (null for created)
 * @param after    the task after (null for deleted)
 */
public record TaskChange(long atMillis, String actor, Action action, int version, TaskSpec before, TaskSpec after) {
    /** What happened to the task. */
    public enum Action {
        @JsonProperty("created") CREATED,
        @JsonProperty("updated") UPDATED,
        @JsonProperty("deleted") DELETED
    }
}
