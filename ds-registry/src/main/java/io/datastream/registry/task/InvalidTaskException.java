package io.datastream.registry.task;

import java.util.List;
import java.util.stream.Collectors;

/** A task definition that failed validation, with every failing field. */
public final class InvalidTaskException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<FieldError> errors;

    public InvalidTaskException(List<FieldError> errors) {
        super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
