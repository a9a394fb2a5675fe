package io.datastream.registry.task;

import com.fasterxml.jackson.databind.JsonMappingException;

/** One invalid field of a request or config: its path (e.g. {@code multiline.startPattern}) and why. */
public record FieldError(String field, String message) {

    /**
     * The path of the field a Jackson mapping error is about, as users write it
     * ({@code tasks[2].paths}); {@code root} when the error is about the whole document.
     */
    public static String pathOf(JsonMappingException e, String root) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.length() == 0 ? root : b.toString();
    }

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
