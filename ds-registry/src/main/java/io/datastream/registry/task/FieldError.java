package io.datastream.registry.task;

/** One invalid field of a request or config: its path (e.g. {@code multiline.startPattern}) and why. */
public record FieldError(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
