package io.datastream.control.api;

import io.datastream.registry.task.FieldError;
import java.util.List;

/**
 * The body of every error answer: {@code {"error": "...", "fields": [{"field": "...", "message": "..."}]}}.
 * {@code fields} is empty when the error is not about particular fields.
 */
public record ApiError(String error, List<FieldError> fields) {
    public ApiError {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }
}
