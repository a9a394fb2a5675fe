package io.datastream.control.cli;

import io.datastream.registry.task.FieldError;
import java.util.List;

/** A {@code ds ctl} command failed: the API refused it, or could not be reached (exit code 1). */
final class CtlException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final transient List<FieldError> fields;

    CtlException(int status, String message, List<FieldError> fields) {
        super(message);
        this.status = status;
        this.fields = List.copyOf(fields);
    }

    CtlException(String message) {
        this(0, message, List.of());
    }

    /** The HTTP status, or 0 when no answer came. */
    int status() {
        return status;
    }

    List<FieldError> fields() {
        return fields;
    }
}
