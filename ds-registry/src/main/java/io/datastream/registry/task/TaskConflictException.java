package io.datastream.registry.task;

/** A write named a task version that is not the current one, or created a task that exists. */
public final class TaskConflictException extends Exception {
    private static final long serialVersionUID = 1L;

    public TaskConflictException(String message) {
        super(message);
    }
}
