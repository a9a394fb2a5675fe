package io.datastream.registry.task;

/** No task with that id. */
public final class TaskNotFoundException extends Exception {
    private static final long serialVersionUID = 1L;

    public TaskNotFoundException(String taskId) {
        super("task '" + taskId + "' does not exist");
    }
}
