package io.datastream.control.api;

import io.datastream.registry.task.FieldError;
import java.util.List;

/** A request the API refuses, with the HTTP status to answer and the failing fields. */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final transient List<FieldError> fields;

    public ApiException(int status, String message, List<FieldError> fields) {
        super(message);
        this.status = status;
        this.fields = List.copyOf(fields);
    }

    public ApiException(int status, String message) {
        this(status, message, List.of());
    }

    /** 400 for one field. */
    public static ApiException badField(String field, String message) {
        return new ApiException(400, "invalid " + field + ": " + message, List.of(new FieldError(field, message)));
    }

    public int status() {
        return status;
    }

    public List<FieldError> fields() {
        return fields;
    }

    public ApiError body() {
        return new ApiError(getMessage(), fields);
    }
}
